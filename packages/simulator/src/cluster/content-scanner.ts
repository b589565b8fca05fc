/**
 * Scans one file as its bytes stream past: three hashes at once, the EICAR
 * string and the suspicious marker (found across chunk boundaries), the
 * file type, and for ZIP content the files inside it, recursively. Nothing
 * but a few hundred bytes of state is kept per file.
 */
import { createHash, type Hash } from "node:crypto";
import { createNode, type FileNode } from "./file-node.js";
import { detectType, isZip, TYPE_HEAD_BYTES } from "./file-types.js";
import { PatternSearch, type SearchPatterns } from "./pattern-search.js";
import { Code, severity, worse } from "./verdicts.js";
import { ZipExtractor } from "./zip-extractor.js";

/** What every scanner of one upload shares. */
export interface ScanEnv {
  /** The EICAR test string (first), then the suspicious marker (may be empty: never matches). */
  patterns: SearchPatterns;
  /** A fresh `data_id`. */
  newId(): string;
  /** Archives nested deeper than this are scanned as plain files. */
  maxDepth: number;
}

/** How a scanner treats its bytes. */
export type ScanMode =
  /** Hash and search the content; extract ZIP content. */
  | "scan"
  /** An encrypted archive entry: not readable, verdict 12 (Encrypted). */
  | "encrypted"
  /** An archive entry compressed with a method the simulator cannot expand: 10 (Not Scanned). */
  | "unsupported";

/** Scans one file; `push` its bytes, then `finish()` fills in its node. */
export class ContentScanner {
  private readonly hashes: Hash[] | undefined;
  private readonly search: PatternSearch | undefined;
  private head: Uint8Array = new Uint8Array(0);
  private size = 0;
  private decided = false;
  private zip: ZipExtractor | undefined;
  private failed = false;

  constructor(
    readonly node: FileNode,
    private readonly env: ScanEnv,
    private readonly depth = 0,
    private readonly mode: ScanMode = "scan",
    private readonly declaredSize = 0,
  ) {
    if (mode === "scan") {
      this.hashes = [createHash("md5"), createHash("sha1"), createHash("sha256")];
      this.search = new PatternSearch(env.patterns);
    }
  }

  /** Bytes seen so far. */
  get bytes(): number {
    return this.size;
  }

  /** Scans the next chunk (synchronously; the chunk is not kept). */
  push(chunk: Uint8Array): void {
    if (this.mode !== "scan" || chunk.byteLength === 0) return;
    this.size += chunk.byteLength;
    for (const hash of this.hashes ?? []) hash.update(chunk);
    this.search?.push(chunk);
    const before = this.head;
    if (before.byteLength < TYPE_HEAD_BYTES) {
      const add = chunk.subarray(0, TYPE_HEAD_BYTES - before.byteLength);
      const head = new Uint8Array(before.byteLength + add.byteLength);
      head.set(before);
      head.set(add, before.byteLength);
      this.head = head;
    }
    if (this.decided) {
      this.zip?.push(chunk);
    } else if (this.head.byteLength >= 4) {
      this.decided = true;
      if (isZip(this.head) && this.depth < this.env.maxDepth) {
        this.zip = new ZipExtractor(
          (name, index, mode, declaredSize) =>
            new ContentScanner(
              createNode(this.env.newId(), name, this.node, index),
              this.env,
              this.depth + 1,
              mode,
              declaredSize,
            ),
        );
        this.zip.push(before);
        this.zip.push(chunk);
      }
    }
  }

  /** Marks the content as unreadable (an archive entry that failed to expand): verdict 3. */
  fail(): void {
    this.failed = true;
  }

  /** Completes the node: size, hashes, type, verdict and children. */
  finish(): FileNode {
    const node = this.node;
    this.zip?.end();
    if (this.mode === "scan") {
      const [md5, sha1, sha256] = (this.hashes ?? []).map((h) => h.digest("hex"));
      node.md5 = md5 ?? "";
      node.sha1 = sha1 ?? "";
      node.sha256 = sha256 ?? "";
      node.size = this.size;
      node.type = detectType(this.head);
    } else {
      node.size = this.declaredSize;
    }
    node.ownCode = this.ownCode();
    node.code = node.ownCode;
    const children = this.zip?.children;
    if (children && children.length > 0) {
      node.children = children;
      let worst = children[0] as FileNode;
      for (const child of children) {
        node.code = worse(node.code, child.code);
        if (severity(child.code) > severity(worst.code)) worst = child;
      }
      node.worst = worst;
    }
    return node;
  }

  private ownCode(): number {
    if (this.mode === "encrypted") return Code.Encrypted;
    if (this.mode === "unsupported") return Code.NotScanned;
    if (this.search?.has(0)) return Code.Infected;
    if (this.search?.has(1)) return Code.Suspicious;
    if (this.failed) return Code.Failed;
    return Code.Clean;
  }
}

/** A scanner for a new top-level file. */
export function scanUpload(dataId: string, name: string, env: ScanEnv): ContentScanner {
  return new ContentScanner(createNode(dataId, name, undefined, 0), env);
}

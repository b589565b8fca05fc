/**
 * Extracts a ZIP archive while it streams, with fflate's streaming `Unzip`
 * (STORE and DEFLATE), handing each entry's bytes to a scanner of its own as
 * they are inflated. Memory stays bounded: one inflate window and one
 * entry's scanner state at a time.
 *
 * fflate cannot decrypt: an encrypted entry (flag bit 0, or AES method 99)
 * is reported as 12 "Encrypted" whether or not an `archivepwd` was given.
 */
import {
  type FlateError,
  Unzip,
  type UnzipDecoder,
  type UnzipDecoderConstructor,
  type UnzipFile,
  UnzipInflate,
} from "fflate";
import type { ContentScanner, ScanMode } from "./content-scanner.js";
import type { FileNode } from "./file-node.js";
import { ZipHeaderTracker } from "./zip-headers.js";

/** Creates the scanner (and node) of the extracted file `name`, child number `index`. */
export type ChildScannerFactory = (
  name: string,
  index: number,
  mode: ScanMode,
  declaredSize: number,
) => ContentScanner;

// fflate recurses once per entry boundary within one push; small slices keep
// the stack shallow for archives of many tiny files.
const SLICE = 16 * 1024;
const EMPTY = new Uint8Array(0);

/** A decoder that swallows the data of an entry the simulator cannot expand. */
function discarding(compression: number): UnzipDecoderConstructor {
  return class Discard implements UnzipDecoder {
    static readonly compression = compression;
    ondata: (err: FlateError | null, data: Uint8Array, final: boolean) => void = () => {};
    push(_chunk: Uint8Array, final: boolean) {
      if (final) this.ondata(null, EMPTY, true);
    }
  };
}

/** Expands one ZIP stream into child nodes. */
export class ZipExtractor {
  /** The extracted files (directories are not listed). */
  readonly children: FileNode[] = [];
  private readonly tracker = new ZipHeaderTracker();
  private readonly unzip: Unzip;
  private readonly registered = new Set<number>([0, 8]);
  private current: { scanner: ContentScanner; done: boolean } | undefined;
  private broken = false;

  constructor(private readonly scannerFor: ChildScannerFactory) {
    this.unzip = new Unzip((file) => this.onFile(file));
    this.unzip.register(UnzipInflate);
  }

  /** Feeds the next bytes of the archive. */
  push(chunk: Uint8Array): void {
    for (let at = 0; at < chunk.byteLength && !this.broken; at += SLICE) {
      const slice = chunk.subarray(at, at + SLICE);
      this.tracker.push(slice);
      try {
        this.unzip.push(slice);
      } catch {
        // A damaged archive: keep what was extracted so far.
        this.broken = true;
        this.closeCurrent();
      }
    }
  }

  /** Ends the archive; finishes an entry cut short. */
  end(): void {
    if (!this.broken) {
      try {
        this.unzip.push(EMPTY, true);
      } catch {
        this.broken = true;
      }
    }
    this.closeCurrent();
  }

  private onFile(file: UnzipFile): void {
    this.closeCurrent();
    const header = this.tracker.next(file.name);
    const supported = file.compression === 0 || file.compression === 8;
    if (!this.registered.has(file.compression)) {
      this.unzip.register(discarding(file.compression));
      this.registered.add(file.compression);
    }
    if (file.name.endsWith("/")) {
      file.ondata = () => {};
      file.start();
      return;
    }
    const encrypted =
      (header !== undefined && (header.flags & 1) !== 0) ||
      file.compression === 99 ||
      // ZipCrypto adds a 12-byte header to a stored entry.
      (file.compression === 0 &&
        file.size !== undefined &&
        file.originalSize !== undefined &&
        file.size !== file.originalSize);
    const mode: ScanMode = encrypted ? "encrypted" : supported ? "scan" : "unsupported";
    const scanner = this.scannerFor(file.name, this.children.length, mode, file.originalSize ?? 0);
    this.children.push(scanner.node);
    const current = { scanner, done: false };
    this.current = current;
    file.ondata = (error, data, final) => {
      if (current.done) return;
      if (error) {
        if (mode === "scan") current.scanner.fail();
        current.done = true;
        current.scanner.finish();
        return;
      }
      current.scanner.push(data);
      if (final) {
        current.done = true;
        current.scanner.finish();
      }
    };
    file.start();
  }

  private closeCurrent(): void {
    const current = this.current;
    this.current = undefined;
    if (current && !current.done) {
      current.done = true;
      current.scanner.finish();
    }
  }
}

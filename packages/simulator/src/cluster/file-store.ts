/**
 * Every analysed file by `data_id` and by hash, the uploads still counting
 * against capacity, and cancellation.
 */
import type { FileNode, Submission } from "./file-node.js";
import { stateAt } from "./file-state.js";

/** Which results a hash lookup may return. */
export interface HashFilter {
  /** Only results of this rule. */
  rule: string | undefined;
  /** Only uploads (not files extracted from archives). */
  selfOnly: boolean;
  /** Only files uploaded at or after this time (ms). */
  since: number | undefined;
  /** Return an unfinished result when no finished one matches. */
  includeInProgress: boolean;
}

/** The files of the simulated gateway. */
export class FileStore {
  private readonly byId = new Map<string, FileNode>();
  // One node, or several when the same content was seen more than once.
  private readonly byHash = new Map<string, FileNode | FileNode[]>();
  private readonly running = new Set<Submission>();
  /** Uploads whose body is still streaming in. */
  uploading = 0;
  /** Cancellations made so far: what a finished result depends on besides the clock. */
  cancellations = 0;

  /** Stores a completed upload with every file extracted from it. */
  add(submission: Submission): void {
    submission.root.submission = submission;
    this.running.add(submission);
    const stack: FileNode[] = [submission.root];
    for (let node = stack.pop(); node; node = stack.pop()) {
      this.byId.set(node.dataId, node);
      for (const hash of [node.md5, node.sha1, node.sha256]) if (hash) this.index(hash, node);
      if (node.children)
        for (let i = node.children.length - 1; i >= 0; i--)
          stack.push(node.children[i] as FileNode);
    }
  }

  /** A file by `data_id`. */
  get(dataId: string): FileNode | undefined {
    return this.byId.get(dataId);
  }

  /** Files uploading or still processing at `now` (what capacity limits). */
  busy(now: number): number {
    for (const submission of this.running) {
      if (stateAt(submission.root, now).finished) this.running.delete(submission);
    }
    return this.running.size + this.uploading;
  }

  /**
   * The result `GET /hash/{hash}` answers: the latest finished result that
   * passes `filter`, else (with `includeInProgress`) the latest unfinished
   * one. Cancelled results are not offered.
   */
  lookup(hash: string, filter: HashFilter, now: number): FileNode | undefined {
    const entry = this.byHash.get(hash.toLowerCase());
    const nodes = entry === undefined ? [] : Array.isArray(entry) ? entry : [entry];
    let running: FileNode | undefined;
    for (let i = nodes.length - 1; i >= 0; i--) {
      const node = nodes[i] as FileNode;
      const submission = topOf(node).submission;
      if (!submission) continue;
      if (filter.selfOnly && node.parent) continue;
      if (filter.rule !== undefined && submission.rule.name !== filter.rule) continue;
      if (filter.since !== undefined && submission.startedAt < filter.since) continue;
      const state = stateAt(node, now);
      if (state.cancelled) continue;
      if (state.finished) return node;
      running ??= node;
    }
    return filter.includeInProgress ? running : undefined;
  }

  /** Cancels a file and its subtree unless it already finished; false when it had. */
  cancel(node: FileNode, now: number): boolean {
    if (stateAt(node, now).finished) return false;
    this.cancellations++;
    node.cancelledAt = now;
    for (let up = node.parent; up; up = up.parent) up.cancelledBelow = true;
    return true;
  }

  private index(hash: string, node: FileNode) {
    const entry = this.byHash.get(hash);
    if (entry === undefined) this.byHash.set(hash, node);
    else if (Array.isArray(entry)) entry.push(node);
    else this.byHash.set(hash, [entry, node]);
  }
}

function topOf(node: FileNode): FileNode {
  let top = node;
  while (top.parent) top = top.parent;
  return top;
}

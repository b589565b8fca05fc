/**
 * Where a file stands at a given time. Nothing runs in the background:
 * progress, verdicts and cancellation are computed from the clock. An
 * upload is processed during `[startedAt, startedAt + durationMs)`; the
 * files extracted from an archive share its window in order (child `i` of
 * `n` owns the `i`-th n-th of it), so the archive finishes with its last
 * child.
 */
import { type FileNode, submissionOf } from "./file-node.js";
import { Code, worse } from "./verdicts.js";

/** A processing window, in ms. */
export interface Window {
  start: number;
  end: number;
}

/** The state of a file at one moment. */
export interface FileState {
  /** 0–100; 100 once finished or cancelled. */
  progress: number;
  finished: boolean;
  cancelled: boolean;
  /** The verdict in force: 255 while unfinished, 19 once cancelled. */
  code: number;
  window: Window;
  /** When the file was cancelled (set when `cancelled`). */
  cancelledAt: number | undefined;
}

/** The processing window of a file. */
export function windowOf(node: FileNode): Window {
  const parent = node.parent;
  if (!parent) {
    const submission = submissionOf(node);
    return { start: submission.startedAt, end: submission.startedAt + submission.durationMs };
  }
  const outer = windowOf(parent);
  const span = (outer.end - outer.start) / (parent.children?.length ?? 1);
  return { start: outer.start + span * node.index, end: outer.start + span * (node.index + 1) };
}

/** The earliest cancellation of the file or of an archive containing it. */
function cancellationOf(node: FileNode): number | undefined {
  let at: number | undefined;
  for (let n: FileNode | undefined = node; n; n = n.parent) {
    if (n.cancelledAt !== undefined && (at === undefined || n.cancelledAt < at)) at = n.cancelledAt;
  }
  return at;
}

/** The final verdict, taking cancelled files below into account. */
function finalCode(node: FileNode, now: number): number {
  if (!node.cancelledBelow || !node.children) return node.code;
  let code = node.ownCode;
  for (const child of node.children) code = worse(code, stateAt(child, now).code);
  return code;
}

/** The state of `node` at `now`. */
export function stateAt(node: FileNode, now: number): FileState {
  const window = windowOf(node);
  const cancelledAt = cancellationOf(node);
  if (cancelledAt !== undefined && cancelledAt < window.end && now >= cancelledAt) {
    return {
      progress: 100,
      finished: true,
      cancelled: true,
      code: Code.Cancelled,
      window,
      cancelledAt,
    };
  }
  if (now >= window.end) {
    return {
      progress: 100,
      finished: true,
      cancelled: false,
      code: finalCode(node, now),
      window,
      cancelledAt: undefined,
    };
  }
  const span = window.end - window.start;
  const progress = Math.min(99, Math.max(0, Math.floor(((now - window.start) / span) * 100)));
  return {
    progress,
    finished: false,
    cancelled: false,
    code: Code.InProgress,
    window,
    cancelledAt: undefined,
  };
}

/** The child with the worst verdict at `now` (the first on a tie). */
export function worstChild(node: FileNode, now: number): FileNode | undefined {
  if (!node.cancelledBelow) return node.worst;
  let worst: FileNode | undefined;
  let worstCode = Code.Clean as number;
  for (const child of node.children ?? []) {
    const code = stateAt(child, now).code;
    if (!worst || worse(worstCode, code) !== worstCode) {
      worst = child;
      worstCode = code;
    }
  }
  return worst;
}

/**
 * How many files of an archive are finished at `now`; the name of the last
 * one is `scan_results.last_file_scanned`.
 */
export function childrenDone(node: FileNode, now: number): number {
  const count = node.children?.length ?? 0;
  if (count === 0) return 0;
  const { start, end } = windowOf(node);
  if (now >= end) return count;
  return Math.max(0, Math.min(count, Math.floor(((now - start) / (end - start)) * count)));
}

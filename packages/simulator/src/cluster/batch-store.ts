/** Batches: files grouped by the `batch` header, closed, cancelled, reported on. */
import type { SimulatedRule } from "../options.js";
import type { FileNode } from "./file-node.js";
import { stateAt } from "./file-state.js";
import { Code, worse } from "./verdicts.js";

/** One batch. */
export interface Batch {
  id: string;
  rule: SimulatedRule;
  userAgent: string;
  username: string;
  /** The `user-data` header, percent-decoded. */
  userData: string;
  createdAt: number;
  closed: boolean;
  cancelledAt: number | undefined;
  /** Uploads in the batch, in upload order. */
  files: FileNode[];
}

/** Where a batch stands at one moment. */
export interface BatchState {
  /** Closed with every file finished, or cancelled. */
  finished: boolean;
  /** 100 once finished; below while open or processing. */
  progress: number;
  /** The worst verdict of its files once finished (19 when cancelled); 255 before. */
  code: number;
  /** When its first file started processing (or when it was created). */
  startedAt: number;
  /** Total processing time once finished, else 0 (ms). */
  totalTimeMs: number;
}

/** The state of `batch` at `now`. */
export function batchStateAt(batch: Batch, now: number): BatchState {
  let startedAt = Number.POSITIVE_INFINITY;
  let endedAt = batch.createdAt;
  let progressSum = 0;
  let allFinished = true;
  let code: number = Code.Clean;
  for (const file of batch.files) {
    const state = stateAt(file, now);
    startedAt = Math.min(startedAt, state.window.start);
    endedAt = Math.max(endedAt, state.cancelledAt ?? state.window.end);
    progressSum += state.progress;
    allFinished &&= state.finished;
    if (state.finished) code = worse(code, state.code);
  }
  if (!Number.isFinite(startedAt)) startedAt = batch.createdAt;
  if (batch.cancelledAt !== undefined) {
    return {
      finished: true,
      progress: 100,
      code: Code.Cancelled,
      startedAt,
      totalTimeMs: Math.max(0, batch.cancelledAt - startedAt),
    };
  }
  const finished = batch.closed && allFinished;
  if (finished) {
    return {
      finished,
      progress: 100,
      code,
      startedAt,
      totalTimeMs: Math.max(0, endedAt - startedAt),
    };
  }
  const average = batch.files.length ? Math.floor(progressSum / batch.files.length) : 0;
  return {
    finished,
    progress: Math.min(99, average),
    code: Code.InProgress,
    startedAt,
    totalTimeMs: 0,
  };
}

/** The batches of one simulator. */
export class BatchStore {
  private readonly batches = new Map<string, Batch>();

  /** Stores a new batch. */
  add(batch: Batch): void {
    this.batches.set(batch.id, batch);
  }

  /** A batch by id. */
  get(id: string): Batch | undefined {
    return this.batches.get(id);
  }

  /** Every batch, in creation order. */
  values(): IterableIterator<Batch> {
    return this.batches.values();
  }
}

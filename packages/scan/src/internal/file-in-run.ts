import type { ClusterClient, Rule } from "@mdkit/cluster";
import type { Clock } from "@mdkit/core";
import {
  FileTooLargeError,
  InvalidInputError,
  MalformedResultError,
  ScanAbortedError,
  ScanTimeoutError,
} from "../errors.js";
import type { DurationEstimator } from "../estimator.js";
import { type FileSource, type ScanInput, toFileSource } from "../input.js";
import type { ConcurrencyLimiter } from "../limiter.js";
import type { LookupOutcome, ScanResult } from "../result.js";
import { type ResumePoint, submissionToResume, toResumePoint } from "../resume.js";
import { resumeScan, type ScanFileOptions } from "../scan-file.js";
import type { ScanFilesItem, ScanFilesOptions } from "../scan-files.js";
import { isTransientFailure } from "./poll-loop.js";
import { cancelOnServer, type ScanHooks, scanOne } from "./scan-one.js";
import type { SignalFan } from "./signal-fan.js";

/** What every file of a `scanFiles` run shares. */
export interface RunContext {
  client: ClusterClient;
  options: ScanFilesOptions;
  /** The options each file's scan gets from the run's (run-level ones removed). */
  common: ScanFileOptions;
  hooks: Pick<ScanHooks, "onUploading">;
  /** The run's signal: the caller's, or the consumer leaving the loop. */
  signal: AbortSignal;
  /** Each file's own signal, following the run's. */
  files: SignalFan;
  limiter: ConcurrencyLimiter;
  estimator: DurationEstimator;
  rules: () => Promise<readonly Rule[]>;
  clock: Clock;
  maxAttempts: number;
  /** Retries left for the whole run. */
  budget: { left: number };
}

/** What the run knows of one file while it works on it. */
interface FileState {
  index: number;
  source: FileSource | undefined;
  /** The submission being polled, once known. */
  dataId: string | undefined;
  /** Bytes of this run's upload the gateway accepted (0 when none was). */
  uploadedBytes: number;
  /** The hash-first lookup of the attempt whose upload was accepted. */
  lookup: LookupOutcome | undefined;
}

const permanent = (error: unknown) =>
  error instanceof FileTooLargeError ||
  error instanceof InvalidInputError ||
  error instanceof ScanAbortedError ||
  error instanceof ScanTimeoutError;

/** Whether a failed attempt is worth another, within the per-file count and the run's budget. */
function worthAnother(ctx: RunContext, file: FileState, error: unknown, attempt: number) {
  const replayable = file.dataId !== undefined || file.source?.replayable === true;
  return (
    !permanent(error) &&
    isTransientFailure(error) &&
    replayable &&
    attempt < ctx.maxAttempts &&
    ctx.budget.left > 0
  );
}

/** A fresh scan of the file: hash first, upload with the run's limiter, wait. */
function scanAfresh(ctx: RunContext, file: FileState, source: FileSource, signal: AbortSignal) {
  const { onProgress, onSubmitted } = ctx.options;
  return scanOne(
    ctx.client,
    source,
    {
      ...ctx.common,
      signal,
      // Decided by the run: only the caller's abort cancels, not leaving the loop.
      cancelOnAbort: false,
      estimator: ctx.estimator,
      limiter: ctx.limiter,
      clock: ctx.clock,
      onProgress: onProgress && ((p) => onProgress(file.index, p)),
      onSubmitted: async (dataId) => {
        file.dataId = dataId;
        await onSubmitted?.(source, dataId);
      },
    },
    {
      rules: ctx.rules,
      onUploading: ctx.hooks.onUploading,
      onAccepted: ({ submission, lookup }) => {
        if (!submission.uploaded) return;
        file.uploadedBytes = source.size;
        file.lookup = lookup;
      },
    },
  );
}

/** Polls the submission the file already has (from a journal, or an earlier attempt of this run). */
function resumeKnown(
  ctx: RunContext,
  file: FileState,
  source: FileSource,
  point: ResumePoint,
  signal: AbortSignal,
) {
  return resumeScan(ctx.client, file.dataId as string, {
    ...ctx.common,
    signal,
    estimator: ctx.estimator,
    clock: ctx.clock,
    name: source.name,
    sha256: point.sha256,
  });
}

/** The result as this run obtained it: an upload of this run stays an upload when a later attempt polled it. */
function withProvenance(result: ScanResult, file: FileState): ScanResult {
  if (file.uploadedBytes === 0 || result.origin === "upload") return result;
  return {
    ...result,
    origin: "upload",
    fromCache: false,
    uploadedBytes: file.uploadedBytes,
    lookup: file.lookup ?? result.lookup,
  };
}

/**
 * Scans one file of the run: resumes what the caller already knows of it,
 * then tries again after transient failures (never uploading accepted
 * content twice: a file with a `data_id` is polled, not re-sent).
 */
async function scanWithRetries(
  ctx: RunContext,
  file: FileState,
  source: FileSource,
  signal: AbortSignal,
): Promise<ScanResult> {
  const point = toResumePoint(await ctx.options.resume?.(source));
  const found = await submissionToResume(ctx.client, point, { rule: ctx.common.rule, signal });
  file.dataId = found?.dataId;
  if (found?.recovered) await ctx.options.onSubmitted?.(source, found.dataId);
  let fromJournal = file.dataId !== undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = file.dataId
        ? await resumeKnown(ctx, file, source, point, signal)
        : await scanAfresh(ctx, file, source, signal);
      return withProvenance(result, file);
    } catch (error) {
      if (fromJournal && error instanceof MalformedResultError && source.replayable) {
        // The journal's submission is gone from the gateway: scan afresh.
        fromJournal = false;
        file.dataId = undefined;
        continue;
      }
      if (!worthAnother(ctx, file, error, attempt)) throw error;
      ctx.budget.left--;
    }
  }
}

/** A failure as reported: after the run stopped, an abort (and the caller's abort cancels on the gateway). */
async function reported(ctx: RunContext, file: FileState, error: unknown) {
  if (!ctx.signal.aborted) return error;
  const { dataId } = file;
  if (dataId && ctx.options.signal?.aborted && ctx.options.cancelOnAbort !== false)
    await cancelOnServer(ctx.client, dataId);
  if (error instanceof ScanAbortedError) return error;
  return new ScanAbortedError(
    `scan of ${file.source?.name ?? `input ${file.index}`} aborted${dataId ? "" : "; nothing was accepted"}`,
    { dataId, cause: error },
  );
}

/** Scans one input of the run: exactly one item, success or failure. */
export async function scanInRun(
  ctx: RunContext,
  index: number,
  input: ScanInput,
): Promise<ScanFilesItem> {
  const file: FileState = {
    index,
    source: undefined,
    dataId: undefined,
    uploadedBytes: 0,
    lookup: undefined,
  };
  // A signal of the file's own: its operations listen to it, not to the run's.
  const own = ctx.files.follow();
  try {
    const source = toFileSource(input);
    file.source = source;
    const result = await scanWithRetries(ctx, file, source, own.signal);
    return { ok: true, index, source, result };
  } catch (error) {
    const reason = await reported(ctx, file, error);
    return { ok: false, index, source: file.source, error: reason, dataId: file.dataId };
  } finally {
    own.release();
  }
}

import { type ClusterClient, isHttpError, NetworkError } from "@mdkit/cluster";
import {
  FileTooLargeError,
  InvalidInputError,
  MalformedResultError,
  ScanAbortedError,
  ScanTimeoutError,
} from "./errors.js";
import { createDurationEstimator } from "./estimator.js";
import { type FileSource, type ScanInput, toFileSource } from "./input.js";
import { AdaptiveLimiter, type AdaptiveLimiterOptions } from "./limiter.js";
import type { ScanProgress } from "./poll.js";
import type { ScanResult } from "./result.js";
import { type ResumeAnswer, submissionToResume, toResumePoint } from "./resume.js";
import { ruleCache } from "./rules.js";
import { cancelOnServer, resumeScan, type ScanFileOptions, scanFile } from "./scan-file.js";

/** One file's outcome in a `scanFiles` run: exactly one per input, success or failure. */
export type ScanFilesItem =
  | { ok: true; index: number; source: FileSource; result: ScanResult }
  | {
      ok: false;
      index: number;
      source: FileSource | undefined;
      error: unknown;
      dataId: string | undefined;
    };

/** Options of {@link scanFiles}. */
export interface ScanFilesOptions
  extends Omit<ScanFileOptions, "onProgress" | "onSubmitted" | "onBusy" | "rules"> {
  /** Files occupying the gateway at once; the limit adapts between the bounds (AIMD on "busy"). Default start 4, max 64. */
  concurrency?: AdaptiveLimiterOptions | undefined;
  /** Files being prepared (hashed, looked up) or waiting for a gateway slot at once. Default 2 × `concurrency.max` (128). */
  prefetch?: number | undefined;
  /** Attempts per file for transient failures (network, 5xx). Default 3. */
  maxAttemptsPerFile?: number | undefined;
  /** Retries allowed across the run before transient failures are reported as they are. Default 50. */
  retryBudget?: number | undefined;
  /** How many inputs there are, when `inputs` is not an array (lets the run plan its end). */
  total?: number | undefined;
  /** Per-file progress. */
  onProgress?: ((index: number, progress: ScanProgress) => void) | undefined;
  /**
   * What the caller already knows of this source (from a journal): a
   * `data_id` to poll instead of uploading, or a `ResumePoint` (the content's
   * SHA-256, which a resumed result must match, and whether an earlier run may
   * have uploaded it without recording its `data_id`).
   */
  resume?: ((source: FileSource) => ResumeAnswer | Promise<ResumeAnswer>) | undefined;
  /** Called with each accepted `data_id`. */
  onSubmitted?: ((source: FileSource, dataId: string) => void | Promise<void>) | undefined;
}

const transient = (error: unknown) =>
  error instanceof NetworkError ||
  (isHttpError(error) && error.status >= 500) ||
  error instanceof SyntaxError;
const permanent = (error: unknown) =>
  error instanceof FileTooLargeError ||
  error instanceof InvalidInputError ||
  error instanceof ScanAbortedError;

/**
 * Scans any number of files and yields their results in completion order.
 * Concurrency is bounded and adapts to the server: it grows while uploads
 * succeed and shrinks when the gateway answers 503 "server busy", so overload
 * slows the run instead of failing files. A transient failure is retried a
 * few times per file within a run-wide budget; a file the gateway accepted is
 * never uploaded again (its `data_id` is polled instead). Every input yields
 * exactly one item; nothing is dropped or duplicated.
 *
 * Aborting `signal` ends the run: every file not yet finished yields a
 * `ScanAbortedError` item, and analyses already accepted are cancelled on
 * the gateway (unless `cancelOnAbort: false`). Leaving the loop early
 * (`break`) stops the run too: nothing more is read, uploaded or polled, and
 * no callback fires once the loop has exited; analyses already accepted are
 * left running, so that a journal can resume them.
 *
 * @example
 * ```ts
 * for await (const item of scanFiles(cluster, files, { rule: "multiscan" })) {
 *   if (!item.ok) console.error(item.index, item.error);
 *   else if (!item.result.clean) console.warn(item.result.name, item.result.verdict);
 * }
 * ```
 */
export async function* scanFiles(
  client: ClusterClient,
  inputs: Iterable<ScanInput> | AsyncIterable<ScanInput>,
  options: ScanFilesOptions = {},
): AsyncGenerator<ScanFilesItem> {
  const {
    onProgress,
    onSubmitted,
    resume,
    concurrency,
    prefetch,
    maxAttemptsPerFile,
    retryBudget,
    ...common
  } = options;
  // Aborted by the caller's signal, or by the consumer leaving the loop early.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const limiter = new AdaptiveLimiter(concurrency);
  // Files prepared ahead (hashed, looked up) of a gateway slot, bounding memory for any input size.
  const pendingMax = prefetch ?? 2 * (concurrency?.max ?? 64);
  const pending = new AdaptiveLimiter({ initial: pendingMax, min: pendingMax, max: pendingMax });
  const estimator = options.estimator ?? createDurationEstimator();
  const rules = ruleCache(client, signal);
  const maxAttempts = maxAttemptsPerFile ?? 3;
  let budget = retryBudget ?? 50;
  const done: ScanFilesItem[] = [];
  let notify: (() => void) | undefined;
  let running = 0;
  let exhausted = false;
  const tasks = new Set<Promise<void>>();

  // With a known number of files, stop probing for more capacity near the end:
  // a probe's "busy" answer makes one file wait out Retry-After, and near the
  // end that wait is the run's last.
  const total = options.total ?? (Array.isArray(inputs) ? inputs.length : undefined);
  let finished = 0;
  const finish = (item: ScanFilesItem) => {
    finished++;
    if (total !== undefined && total - finished <= 32 * limiter.limit) limiter.stopProbing();
    done.push(item);
    notify?.();
  };

  async function one(index: number, input: ScanInput, release: () => void) {
    let source: FileSource | undefined;
    let dataId: string | undefined;
    // A signal of the file's own: its operations listen to it, not to the run's.
    const fileSignal = AbortSignal.any([signal]);
    try {
      source = toFileSource(input);
      const fileSource = source;
      const point = toResumePoint(await resume?.(fileSource));
      const found = await submissionToResume(client, point, {
        rule: common.rule,
        signal: fileSignal,
      });
      dataId = found?.dataId;
      if (found?.recovered) await onSubmitted?.(fileSource, found.dataId);
      let resumed = dataId !== undefined;
      for (let attempt = 1; ; attempt++) {
        try {
          const result = dataId
            ? await resumeScan(client, dataId, {
                ...common,
                signal: fileSignal,
                estimator,
                name: fileSource.name,
                sha256: point.sha256,
              })
            : await scanFile(client, fileSource, {
                ...common,
                signal: fileSignal,
                // Decided below: only the caller's abort cancels, not leaving the loop.
                cancelOnAbort: false,
                estimator,
                rules,
                acquireSlot: (signal) => limiter.acquire(signal),
                onBusy: () => limiter.busy(),
                onProgress: onProgress && ((p) => onProgress(index, p)),
                onSubmitted: async (id) => {
                  dataId = id;
                  await onSubmitted?.(fileSource, id);
                },
              });
          limiter.success();
          finish({ ok: true, index, source, result });
          return;
        } catch (error) {
          if (resumed && error instanceof MalformedResultError && fileSource.replayable) {
            // The journal's submission is gone from the gateway: scan afresh.
            resumed = false;
            dataId = undefined;
            continue;
          }
          const replayable = dataId !== undefined || fileSource.replayable;
          if (
            permanent(error) ||
            error instanceof ScanTimeoutError ||
            !transient(error) ||
            !replayable ||
            attempt >= maxAttempts ||
            budget <= 0
          ) {
            throw error;
          }
          budget--;
        }
      }
    } catch (error) {
      let reported = error;
      if (signal.aborted) {
        if (dataId && options.signal?.aborted && options.cancelOnAbort !== false)
          await cancelOnServer(client, dataId);
        if (!(error instanceof ScanAbortedError)) {
          reported = new ScanAbortedError(
            `scan of ${source?.name ?? `input ${index}`} aborted${dataId ? "" : "; nothing was accepted"}`,
            { dataId, cause: error },
          );
        }
      }
      finish({ ok: false, index, source, error: reported, dataId });
    } finally {
      release();
      running--;
      notify?.();
    }
  }

  const feeder = (async () => {
    let index = 0;
    for await (const input of inputs as AsyncIterable<ScanInput>) {
      const release = await pending.acquire(signal).catch(() => undefined);
      if (!release) break;
      running++;
      const task = one(index++, input, release);
      tasks.add(task);
      void task.finally(() => tasks.delete(task));
    }
  })().finally(() => {
    exhausted = true;
    limiter.stopProbing();
    notify?.();
  });
  // A failing `inputs` is reported by `await feeder` below, or not at all if the consumer left.
  feeder.catch(() => {});

  let complete = false;
  try {
    for (;;) {
      while (done.length) yield done.shift() as ScanFilesItem;
      if (exhausted && running === 0) break;
      await new Promise<void>((resolve) => {
        notify = resolve;
      });
      notify = undefined;
    }
    await feeder;
    while (done.length) yield done.shift() as ScanFilesItem;
    complete = true;
  } finally {
    notify = undefined;
    if (!complete) {
      // The consumer left early: stop reading, uploading and polling, and
      // return only once no file's work (or callback) is still running.
      stop.abort(new ScanAbortedError("the scanFiles iteration was stopped"));
      await Promise.allSettled([...tasks]);
    }
  }
}

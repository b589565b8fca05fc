import type { ClusterClient } from "@mdkit/cluster";
import { systemClock } from "@mdkit/core";
import { ScanAbortedError } from "../errors.js";
import { createDurationEstimator } from "../estimator.js";
import type { ScanInput } from "../input.js";
import { AdaptiveLimiter } from "../limiter.js";
import { ruleCache } from "../rules.js";
import type { ScanFilesItem, ScanFilesOptions } from "../scan-files.js";
import { CompletionQueue } from "./completion-queue.js";
import { type RunContext, scanInRun } from "./file-in-run.js";
import type { ScanHooks } from "./scan-one.js";
import { Semaphore } from "./semaphore.js";
import { SignalFan } from "./signal-fan.js";

/** The shared state of a run: its limiter, estimator, rule list and retry budget. */
function runContext(
  client: ClusterClient,
  options: ScanFilesOptions,
  hooks: Pick<ScanHooks, "onUploading">,
  signal: AbortSignal,
): { ctx: RunContext; own: AdaptiveLimiter | undefined } {
  const {
    onProgress,
    onSubmitted,
    resume,
    concurrency,
    prefetch,
    maxAttemptsPerFile,
    retryBudget,
    total,
    ...common
  } = options;
  const clock = options.clock ?? systemClock;
  const own = options.limiter ? undefined : new AdaptiveLimiter({ clock, ...concurrency });
  const ctx: RunContext = {
    client,
    options,
    common,
    hooks,
    signal,
    files: new SignalFan(signal),
    limiter: options.limiter ?? (own as AdaptiveLimiter),
    estimator: options.estimator ?? createDurationEstimator(),
    rules: ruleCache(client, signal),
    clock,
    maxAttempts: maxAttemptsPerFile ?? 3,
    budget: { left: retryBudget ?? 50 },
  };
  return { ctx, own };
}

/**
 * `scanFiles` with the hooks of the Node entry (the journal's "uploading"
 * line). Files are read and prepared (hashed, looked up) up to `prefetch`
 * ahead, scanned with the run's limiter, and yielded as they complete.
 */
export async function* runScanFiles(
  client: ClusterClient,
  inputs: Iterable<ScanInput> | AsyncIterable<ScanInput>,
  options: ScanFilesOptions,
  hooks: Pick<ScanHooks, "onUploading"> = {},
): AsyncGenerator<ScanFilesItem> {
  // Aborted by the caller's signal, or by the consumer leaving the loop early.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const { ctx, own } = runContext(client, options, hooks, signal);
  // Files prepared ahead of a gateway slot, bounding memory for any number of inputs.
  const ahead = options.prefetch ?? 2 * (options.concurrency?.max ?? 64);
  const prepared = new Semaphore(() => ahead);
  const completed = new CompletionQueue<ScanFilesItem>();
  const tasks = new Set<Promise<void>>();
  let running = 0;
  let exhausted = false;

  // With a known number of files, stop probing for more capacity near the end:
  // a probe's "busy" answer makes one file wait out Retry-After, and near the
  // end that wait is the run's last.
  const total = options.total ?? (Array.isArray(inputs) ? inputs.length : undefined);
  let finished = 0;
  const nearTheEnd = () => {
    finished++;
    if (own && total !== undefined && total - finished <= 32 * own.limit) own.stopProbing();
  };

  const start = (index: number, input: ScanInput, release: () => void) => {
    running++;
    const task = scanInRun(ctx, index, input)
      .then((item) => {
        nearTheEnd();
        completed.push(item);
      })
      .finally(() => {
        release();
        running--;
        tasks.delete(task);
        completed.wake();
      });
    tasks.add(task);
  };

  const feeder = (async () => {
    let index = 0;
    for await (const input of inputs as AsyncIterable<ScanInput>) {
      const release = await prepared.acquire(signal).catch(() => undefined);
      if (!release) break;
      start(index++, input, release);
    }
  })().finally(() => {
    exhausted = true;
    own?.stopProbing();
    completed.wake();
  });
  // A failing `inputs` is reported by `await feeder` below, or not at all if the consumer left.
  feeder.catch(() => {});

  let complete = false;
  try {
    yield* completed.drain(() => exhausted && running === 0);
    await feeder;
    yield* completed.drain(() => true);
    complete = true;
  } finally {
    if (!complete) {
      // The consumer left early: stop reading, uploading and polling, and
      // return only once no file's work (or callback) is still running.
      stop.abort(new ScanAbortedError("the scanFiles iteration was stopped"));
      await Promise.allSettled([...tasks]);
    }
  }
}

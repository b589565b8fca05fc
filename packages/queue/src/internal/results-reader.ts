import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { QueueError } from "../errors.js";
import type { ScanJobData } from "../job-data.js";
import type { QueueResult } from "../result.js";
import type { QueueKeys } from "./keys.js";
import { readLog, recordResult } from "./result-store.js";

/** Options of `results()`. */
export interface ResultsOptions {
  /** Start after this cursor (a result's `cursor`). Default: from the first result. */
  after?: string | undefined;
  /** Keep waiting for new results once every job is done, until `signal` aborts. Default false. */
  follow?: boolean | undefined;
  /** Stops the iteration. */
  signal?: AbortSignal | undefined;
  /** Results read per request. Default 200. */
  batchSize?: number | undefined;
}

const UNFINISHED = ["waiting", "active", "delayed", "prioritized", "paused", "waiting-children"];

/** How long a read waits for new results while jobs run, in ms. */
const WAIT_MS = 1_000;
/** The first wait while the only unfinished jobs already have their result (doubling up to `WAIT_MS`). */
const SETTLE_MS = 10;

/**
 * Jobs not finished yet (counted at one moment), and whether each of them
 * is running with its result already recorded: BullMQ marks such a job
 * completed a moment after its result is in, so the end of the run is near.
 */
async function unfinishedJobs(redis: Redis, queue: Queue, keys: QueueKeys) {
  const counts = await queue.getJobCounts(...(UNFINISHED as Parameters<Queue["getJobCounts"]>));
  const count = Object.values(counts).reduce((sum, n) => sum + n, 0);
  if (count === 0 || count !== counts.active) return { count, settling: false };
  const active = await queue.getRanges(["active"], 0, -1);
  const recorded = active.length > 0 ? await redis.hmget(keys.results, ...active) : [];
  return { count, settling: recorded.every((result) => result !== null) };
}

/**
 * Jobs BullMQ failed on its own (a job that stalled too often) have no
 * recorded result: record their typed failure, so every job has exactly one.
 */
async function recordUnrecordedFailures(redis: Redis, queue: Queue<ScanJobData>, keys: QueueKeys) {
  for (let start = 0; ; start += 500) {
    const jobs = await queue.getFailed(start, start + 499);
    if (jobs.length === 0) return;
    for (const job of jobs) {
      if (!job?.id || (await redis.hexists(keys.results, job.id))) continue;
      const stalled = /stalled/i.test(job.failedReason ?? "");
      await recordResult(redis, keys, {
        jobId: job.id,
        sha256: job.data.sha256,
        name: job.data.name,
        source: job.data.source,
        rule: job.data.rule,
        producer: job.data.producer,
        finishedAt: job.finishedOn ?? Date.now(),
        ok: false,
        error: {
          name: stalled ? "JobStalledError" : "JobFailedError",
          // Through a QueueError: prefixed, and redacted like every mdkit message.
          message: new QueueError(job.failedReason ?? "the job failed").message,
          dataId: job.data.dataId,
        },
      });
    }
    if (jobs.length < 500) return;
  }
}

/** Reads the result log (see `ScanQueue.results`). */
export async function* readResults(
  redis: Redis,
  queue: Queue<ScanJobData>,
  keys: QueueKeys,
  options: ResultsOptions,
): AsyncGenerator<QueueResult> {
  const { signal } = options;
  // A blocking read holds its connection: give it its own.
  const reader = redis.duplicate();
  reader.on("error", () => {});
  const stop = () => reader.disconnect();
  signal?.addEventListener("abort", stop, { once: true });
  let cursor = options.after ?? "0";
  let settleMs = SETTLE_MS;
  try {
    for (;;) {
      signal?.throwIfAborted();
      // Checked before reading: a job finished by then has its result in the log already.
      let idle = false;
      let waitMs = WAIT_MS;
      if (!options.follow) {
        const unfinished = await unfinishedJobs(redis, queue, keys);
        if (unfinished.count === 0) {
          await recordUnrecordedFailures(redis, queue, keys);
          idle = true;
        }
        // The last results are in: look again soon rather than after a full wait (a
        // worker that died right after recording leaves its job running longer: back off).
        if (unfinished.settling) {
          waitMs = settleMs;
          settleMs = Math.min(WAIT_MS, settleMs * 2);
        } else {
          settleMs = SETTLE_MS;
        }
      }
      const items = await readLog(
        reader,
        keys,
        cursor,
        options.batchSize ?? 200,
        idle ? undefined : waitMs,
      ).catch((error) => {
        signal?.throwIfAborted();
        throw error;
      });
      for (const item of items) {
        cursor = item.cursor ?? cursor;
        yield item;
      }
      if (idle && items.length === 0) return;
    }
  } finally {
    signal?.removeEventListener("abort", stop);
    reader.disconnect();
  }
}

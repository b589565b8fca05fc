import { hostname } from "node:os";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { bullConnection, type RedisConnection, redisOptionsOf } from "./connection.js";
import { type DownloadLimits, downloadLimitsOf } from "./internal/bounded-download.js";
import { priorityOf, reserveTags } from "./internal/fairness.js";
import { queueKeys } from "./internal/keys.js";
import { prepareInputs } from "./internal/prepare-inputs.js";
import {
  asQueueError,
  connectionGate,
  describeRedis,
  quitRedis,
  redisCall,
} from "./internal/redis-guard.js";
import { readResult } from "./internal/result-store.js";
import { type ResultsOptions, readResults } from "./internal/results-reader.js";
import { type QueueStatus, readStatus } from "./internal/status.js";
import { type ScanJobData, scanJobId } from "./job-data.js";
import type { QueueInput } from "./queue-input.js";
import type { QueueResult } from "./result.js";

/** Options of {@link createScanQueue}. */
export interface ScanQueueOptions {
  /** Where Redis is. */
  connection: RedisConnection;
  /** Name of the queue (workers name the same). */
  name: string;
  /** Key prefix. Default `bull` (BullMQ's). */
  prefix?: string | undefined;
  /** Who adds the files, for per-producer fairness and counts. Default `<host>:<pid>`. */
  producer?: string | undefined;
  /** Name of the shared gateway budget that `status()` reports. Default: the queue's name. */
  budget?: string | undefined;
  /**
   * How long an operation waits for Redis to be reachable before it fails
   * with a `RedisUnreachableError` naming the host, in ms. Default 10,000.
   */
  connectTimeoutMs?: number | undefined;
  /**
   * Bounds on downloading a URL input given without its `sha256`, which
   * `add()` downloads once to hash (defaults: 4 GiB, 600,000 ms in all,
   * 30,000 ms without a byte).
   */
  download?: Partial<DownloadLimits> | undefined;
}

/** Options of {@link ScanQueue.add}. */
export interface AddOptions {
  /** Rule to scan with (part of the job's identity). Default: the gateway's default rule. */
  rule?: string | undefined;
  /** Tries per job for transient failures (network, 5xx), by any worker. Default 3. */
  attempts?: number | undefined;
  /** Delay before the first retry, doubling after, in ms. Default 1,000. */
  backoffMs?: number | undefined;
  /** Inputs hashed at once. Default 8. */
  hashConcurrency?: number | undefined;
  /** Stops adding (jobs added so far stay). */
  signal?: AbortSignal | undefined;
}

/** One input as queued. */
export interface AddedJob {
  /** Position of the input in the call. */
  index: number;
  /** The job: SHA-256 + rule, shared by every input with the same content. */
  jobId: string;
  /** SHA-256 of the content. */
  sha256: string;
  /** Display name. */
  name: string;
}

/** What `add()` did. */
export interface AddResult {
  /** Every input, in order. */
  jobs: AddedJob[];
  /** Distinct jobs among them (inputs with the same content and rule are one job). */
  distinct: number;
}

/** A scan queue: see {@link createScanQueue}. */
export interface ScanQueue extends AsyncDisposable {
  /** The queue's name. */
  readonly name: string;
  /** The BullMQ queue underneath. */
  readonly queue: ScanBullQueue;
  /**
   * Queues files for scanning. Each input is hashed by the producer (paths
   * read once, URLs downloaded once unless their `sha256` is given); its job
   * id is SHA-256 + rule, so content already queued (by anyone) is not
   * queued again. The bytes stay where they are: a job records where to find them.
   */
  add(
    inputs: Iterable<QueueInput> | AsyncIterable<QueueInput>,
    options?: AddOptions,
  ): Promise<AddResult>;
  /**
   * The results, one per job, in the order they were recorded. Without
   * `follow`, the iteration ends once no job is waiting or running and every
   * result was read; with it, it goes on until `signal` aborts. `after`
   * resumes after a result's `cursor`.
   */
  results(options?: ResultsOptions): AsyncGenerator<QueueResult>;
  /** The result of one job, if recorded. */
  result(jobId: string): Promise<QueueResult | undefined>;
  /** Counts: jobs by state, results by verdict, files by producer, and the shared budget. */
  status(): Promise<QueueStatus>;
  /** Deletes the queue and everything recorded for it (jobs, results, counts). */
  obliterate(): Promise<void>;
  /** Closes the connections. */
  close(): Promise<void>;
}

/** The BullMQ queue of scan jobs. */
export type ScanBullQueue = Queue<ScanJobData, QueueResult, "scan">;

/** A job about to be added. */
interface QueuedJob {
  jobId: string;
  data: ScanJobData;
}

/** Jobs added per batch (one fairness reservation and one BullMQ call each). */
const BATCH = 100;

/**
 * Opens (or creates) a durable scan queue in Redis, on BullMQ. Producers
 * `add()` files; workers (`createScanWorker`, in any process on any host
 * with the same Redis) scan them; anyone reads `results()` or `status()`.
 * Jobs of different producers are interleaved fairly (see the README).
 *
 * @example
 * ```ts
 * const queue = createScanQueue({ connection: "redis://127.0.0.1:6379", name: "inbox", producer: "mail-archive" });
 * await queue.add(["/shared/inbox/a.pdf", "/shared/inbox/b.docx"], { rule: "multiscan" });
 * for await (const r of queue.results()) console.log(r.name, r.ok ? r.result.verdict : r.error.message);
 * await queue.close();
 * ```
 */
export function createScanQueue(options: ScanQueueOptions): ScanQueue {
  const prefix = options.prefix ?? "bull";
  const connection = redisOptionsOf(options.connection);
  const keys = queueKeys(prefix, options.name);
  const producer = options.producer ?? `${hostname()}:${process.pid}`;
  const download = downloadLimitsOf(options.download);
  const queue: ScanBullQueue = new Queue(options.name, {
    connection: bullConnection(connection),
    prefix,
  });
  // Failures reach the caller through the operations, as typed errors.
  queue.on("error", () => {});
  const redis = new Redis(connection);
  redis.on("error", () => {});
  const budget = { prefix, name: options.budget ?? options.name };
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  /** Resolves once Redis is reachable; else `RedisUnreachableError` / `RedisAuthError`, typed already. */
  const untilReachable = connectionGate(redis, describeRedis(connection), timeoutMs);
  /** Runs `operation` once Redis is reachable; its failures become typed errors. */
  const call = <T>(doing: string, operation: () => Promise<T>) =>
    redisCall(doing, async () => {
      await untilReachable();
      return operation();
    });

  async function addBatch(batch: QueuedJob[], options: AddOptions) {
    if (batch.length === 0) return;
    const first = await reserveTags(redis, keys.fairness, producer, batch.length);
    await queue.addBulk(
      batch.map((job, i) => ({
        name: "scan",
        data: job.data,
        opts: {
          jobId: job.jobId,
          priority: priorityOf(first + i),
          attempts: options.attempts ?? 3,
          backoff: { type: "exponential", delay: options.backoffMs ?? 1_000 },
        },
      })),
    );
    await redis.hincrby(keys.producers, producer, batch.length);
  }

  return {
    name: options.name,
    queue,
    async add(inputs, addOptions = {}) {
      // Nothing is hashed for a queue that cannot be reached.
      await untilReachable();
      const jobs: AddedJob[] = [];
      const ids = new Set<string>();
      let batch: QueuedJob[] = [];
      const now = Date.now();
      for await (const { index, input } of prepareInputs(inputs, download, addOptions)) {
        const jobId = scanJobId(input.sha256, addOptions.rule);
        jobs.push({ index, jobId, sha256: input.sha256, name: input.name });
        if (ids.has(jobId)) continue;
        ids.add(jobId);
        batch.push({
          jobId,
          data: {
            v: 1,
            source: input.source,
            name: input.name,
            sha256: input.sha256,
            size: input.size,
            rule: addOptions.rule,
            producer,
            addedAt: now,
          },
        });
        if (batch.length >= BATCH) {
          await call("adding jobs", () => addBatch(batch, addOptions));
          batch = [];
        }
      }
      await call("adding jobs", () => addBatch(batch, addOptions));
      return { jobs, distinct: ids.size };
    },
    async *results(resultsOptions = {}) {
      await untilReachable();
      try {
        yield* readResults(redis, queue, keys, resultsOptions);
      } catch (error) {
        throw asQueueError(error, "reading results");
      }
    },
    result: (jobId) => call("reading a result", () => readResult(redis, keys, jobId)),
    status: () => call("reading the status", () => readStatus(redis, queue, keys, budget)),
    obliterate: () =>
      call("deleting the queue", async () => {
        await queue.obliterate({ force: true });
        await redis.del(keys.results, keys.resultLog, keys.tallies, keys.fairness, keys.producers);
      }),
    async close() {
      await redisCall("closing the queue", () => queue.close());
      await quitRedis(redis, timeoutMs);
    },
    [Symbol.asyncDispose]() {
      return this.close();
    },
  };
}

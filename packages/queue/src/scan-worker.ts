import { EventEmitter } from "node:events";
import { hostname } from "node:os";
import { type ClusterClient, isHttpError, NetworkError } from "@mdkit/cluster";
import {
  createDurationEstimator,
  FileTooLargeError,
  InvalidInputError,
  MalformedResultError,
  ScanAbortedError,
  ScanTimeoutError,
} from "@mdkit/scan";
import { type Job, UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import { bullConnection, type RedisConnection, redisOptionsOf } from "./connection.js";
import { ContentChangedError, QueueInputError } from "./errors.js";
import { type DownloadLimits, downloadLimitsOf } from "./internal/bounded-download.js";
import { advanceVirtualTime } from "./internal/fairness.js";
import { queueKeys } from "./internal/keys.js";
import {
  asQueueError,
  connectionGate,
  describeRedis,
  quitRedis,
  redisCall,
} from "./internal/redis-guard.js";
import { readResult, recordResult } from "./internal/result-store.js";
import { type JobScanOptions, runScanJob } from "./internal/run-scan-job.js";
import type { ScanJobData } from "./job-data.js";
import { type QueueResult, toQueueFailure, toQueueVerdict } from "./result.js";
import {
  createSharedLimiter,
  type SharedLimiter,
  type SharedLimiterOptions,
} from "./shared-limiter.js";

/** Options of {@link createScanWorker}. */
export interface ScanWorkerOptions {
  /** Where Redis is (the same as the queue's). */
  connection: RedisConnection;
  /** Name of the queue to work on. */
  name: string;
  /** Key prefix. Default `bull`. */
  prefix?: string | undefined;
  /** Client of the gateway. */
  cluster: ClusterClient;
  /** Jobs this process works on at once (hashing, waiting for a slot, polling). Default 8. */
  concurrency?: number | undefined;
  /**
   * The shared gateway budget: options of {@link createSharedLimiter} (its
   * `name` defaults to the queue's, `connection` and `prefix` to the
   * worker's, `maxEstimateMs` to `scan.timeoutMs`), a limiter to use, or `false` for none. Default: the queue's
   * budget with `@mdkit/scan`'s defaults (start 4, max 64).
   */
  budget?: Partial<SharedLimiterOptions> | SharedLimiter | false | undefined;
  /** Options applied to every scan (`timeoutMs`, `hashFirst`, ...). */
  scan?: JobScanOptions | undefined;
  /**
   * Bounds on downloading a URL job's bytes (defaults: 4 GiB, 600,000 ms in
   * all, 30,000 ms without a byte); a download never goes past the size
   * recorded when the job was added either.
   */
  download?: Partial<DownloadLimits> | undefined;
  /**
   * A job whose worker stops renewing its lock for this long is taken over
   * by another worker (which resumes its recorded `data_id`), in ms. Default 30,000.
   */
  lockDurationMs?: number | undefined;
  /** How often workers look for such stalled jobs, in ms. Default 15,000. */
  stalledIntervalMs?: number | undefined;
  /** Times a job may stall (its worker died) before it fails. Default 5. */
  maxStalledCount?: number | undefined;
  /** Name of this worker, stored on the jobs it takes. Default `<host>:<pid>`. */
  workerName?: string | undefined;
  /**
   * How long `ready()` waits for Redis to be reachable before it fails with
   * a `RedisUnreachableError` naming the host, in ms. Default 10,000.
   */
  connectTimeoutMs?: number | undefined;
}

/** Events of a {@link ScanWorker}. */
export interface ScanWorkerEvents {
  /** A job of this worker ended: its one verdict or typed failure. */
  result: [QueueResult];
  /**
   * A failure of the worker itself (Redis, a lost lock); jobs are retried or
   * taken over. Failures of Redis and BullMQ come as a `QueueError` (its
   * message and cause redacted).
   */
  error: [unknown];
}

/** A worker process's handle: see {@link createScanWorker}. */
export interface ScanWorker extends EventEmitter<ScanWorkerEvents> {
  /** The BullMQ worker underneath. */
  readonly worker: Worker<ScanJobData, QueueResult, "scan">;
  /** The shared budget, when one is used. */
  readonly limiter: SharedLimiter | undefined;
  /**
   * Resolves once the worker is connected to Redis and taking jobs; rejects
   * with a `RedisUnreachableError` (naming the host, never the password)
   * when Redis cannot be reached within `connectTimeoutMs`. The worker goes
   * on trying to connect until it is closed.
   */
  ready(): Promise<void>;
  /**
   * Stops taking jobs, lets the jobs in progress finish (their results are
   * recorded), and closes the connections. `force` abandons them instead:
   * another worker takes them over and resumes their submissions.
   */
  close(force?: boolean): Promise<void>;
}

/** Failures a retry cannot change: the job ends with them at once. */
const FINAL = [
  FileTooLargeError,
  InvalidInputError,
  ContentChangedError,
  QueueInputError,
  ScanTimeoutError,
  MalformedResultError,
  ScanAbortedError,
];

function isFinal(error: unknown): boolean {
  if (FINAL.some((type) => error instanceof (type as abstract new (...args: never[]) => unknown)))
    return true;
  if (error instanceof NetworkError) return false;
  // 4xx (other than 429) will not change on retry; 5xx, 429 and 503 may.
  return isHttpError(error) && error.status < 500 && error.status !== 429;
}

function budgetOf(options: ScanWorkerOptions): SharedLimiter | undefined {
  const { budget } = options;
  if (budget === false) return undefined;
  if (budget && "acquire" in budget) return budget as SharedLimiter;
  return createSharedLimiter({
    connection: options.connection,
    prefix: options.prefix,
    name: options.name,
    // A stored estimate longer than a scan may take is not believed (see `maxEstimateMs`).
    maxEstimateMs: options.scan?.timeoutMs,
    ...(budget as Partial<SharedLimiterOptions> | undefined),
  });
}

/**
 * Starts a worker on the queue `name`: it takes jobs (fairly across
 * producers), scans each once with `scanFile` inside the shared gateway
 * budget, and records exactly one result per job. A job is never uploaded
 * twice once the gateway accepted it: the accepted `data_id` is recorded in
 * the job before polling, and a job taken over after a crash or a stall
 * polls it (or finds it by hash) instead of uploading again. A result is
 * written once, so a job re-run after its result was recorded returns that
 * result. Transient failures are retried (by any worker) up to the job's
 * attempts; the rest end the job with a typed failure, never a verdict.
 *
 * @example
 * ```ts
 * const worker = createScanWorker({ connection: "redis://127.0.0.1:6379", name: "inbox", cluster, concurrency: 16 });
 * worker.on("result", (r) => console.log(r.name, r.ok ? r.result.verdict : r.error.name));
 * process.once("SIGTERM", () => void worker.close());
 * ```
 */
export function createScanWorker(options: ScanWorkerOptions): ScanWorker {
  const prefix = options.prefix ?? "bull";
  const keys = queueKeys(prefix, options.name);
  const connection = redisOptionsOf(options.connection);
  const redis = new Redis(connection);
  const limiter = budgetOf(options);
  const ownLimiter = limiter !== undefined && !(options.budget && "acquire" in options.budget);
  // One estimate of the gateway's scan time for every job, as `scanFiles` keeps one per run (with a
  // budget, shared by its processes): first polls come when files are expected to be done.
  const scan = { estimator: limiter?.estimator ?? createDurationEstimator(), ...options.scan };
  const context = {
    cluster: options.cluster,
    limiter,
    scan,
    download: downloadLimitsOf(options.download),
  };
  const events = new EventEmitter<ScanWorkerEvents>();
  const emitError = (error: unknown) => {
    if (events.listenerCount("error") > 0) events.emit("error", asQueueError(error, "working"));
  };
  redis.on("error", emitError);
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  const connected = connectionGate(redis, describeRedis(connection), timeoutMs);

  const finish = async (result: QueueResult) => {
    const stands = await redisCall("recording a result", () => recordResult(redis, keys, result));
    events.emit("result", stands);
    return stands;
  };

  const processor = async (
    job: Job<ScanJobData, QueueResult, "scan">,
    _token?: string,
    signal?: AbortSignal,
  ) => {
    void advanceVirtualTime(redis, keys.fairness, job.priority).catch(emitError);
    // Recorded already (the worker died before BullMQ heard of it): that result stands.
    const recorded = await redisCall("reading a result", () =>
      readResult(redis, keys, job.id as string),
    );
    if (recorded) return recorded;
    const data = job.data;
    const base = {
      jobId: job.id as string,
      sha256: data.sha256,
      name: data.name,
      source: data.source,
      rule: data.rule,
      producer: data.producer,
    };
    try {
      const scan = await runScanJob(job, context, signal);
      return await finish({
        ...base,
        ok: true,
        result: toQueueVerdict(scan),
        finishedAt: Date.now(),
      });
    } catch (error) {
      const attempts = job.opts.attempts ?? 1;
      if (!isFinal(error) && job.attemptsMade + 1 < attempts) throw error;
      const stands = await finish({
        ...base,
        ok: false,
        error: toQueueFailure(error, job.data.dataId),
        finishedAt: Date.now(),
      });
      if (stands.ok) return stands;
      throw new UnrecoverableError(stands.error.message);
    }
  };

  const worker = new Worker<ScanJobData, QueueResult, "scan">(options.name, processor, {
    connection: bullConnection(connection),
    prefix,
    concurrency: options.concurrency ?? 8,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 15_000,
    maxStalledCount: options.maxStalledCount ?? 5,
    name: options.workerName ?? `${hostname()}:${process.pid}`,
  });
  worker.on("error", emitError);

  let closing: Promise<void> | undefined;
  return Object.assign(events, {
    worker,
    limiter,
    async ready() {
      await connected();
      await redisCall("starting the worker", () => worker.waitUntilReady());
    },
    close(force = false) {
      closing ??= (async () => {
        await worker.close(force);
        if (ownLimiter) await limiter?.close();
        await quitRedis(redis, timeoutMs);
      })();
      return closing;
    },
  }) as ScanWorker;
}

import { randomUUID } from "node:crypto";
import { WaitQueue } from "@mdkit/core";
import {
  type AimdOptions,
  type AimdSettings,
  type AimdState,
  aimdLimit,
  aimdOnBusy,
  aimdOnSuccess,
  aimdStart,
  type ConcurrencyLimiter,
  type DurationEstimator,
} from "@mdkit/scan";
import { Redis } from "ioredis";
import { type RedisConnection, redisOptionsOf } from "./connection.js";
import { QueueError, RedisAuthError, RedisUnreachableError } from "./errors.js";
import { ACQUIRE, INIT, READ, RELEASE, RENEW, WRITE } from "./internal/budget-scripts.js";
import { type BudgetKeys, budgetKeys } from "./internal/keys.js";
import {
  asQueueError,
  connectionGate,
  describeRedis,
  quitRedis,
  redisCall,
} from "./internal/redis-guard.js";
import { SharedEstimate } from "./internal/shared-estimate.js";

/** How long closing waits for Redis to answer before dropping the connections, in ms. */
const CLOSE_GRACE_MS = 5_000;

/** Options of {@link createSharedLimiter}. */
export interface SharedLimiterOptions extends AimdOptions {
  /** Where Redis is. */
  connection: RedisConnection;
  /**
   * Name of the budget: every limiter with the same name (and prefix) shares
   * one limit, whichever queue it serves. Use one name per gateway.
   */
  name: string;
  /** Key prefix. Default `bull` (BullMQ's). */
  prefix?: string | undefined;
  /**
   * A held slot is lost after this long without renewal (a crashed process
   * gives its slots back this way), in ms. Renewed every third of it. Default 15,000.
   */
  leaseMs?: number | undefined;
  /** How often waiters try again without being woken (a lost wake-up, an expired lease), in ms. Default 250. */
  pollMs?: number | undefined;
  /**
   * The longest analysis time read back from Redis that {@link SharedLimiter.estimator}
   * believes, in ms: a stored estimate that is not whole ms in `(0, maxEstimateMs]`
   * (NaN, negative, 10^12, text, a value of another type) is ignored, and the process
   * starts without one. Give the `timeoutMs` of the scans that use the estimator
   * (workers give their `scan.timeoutMs`). Default 600,000 (a scan's default `timeoutMs`).
   */
  maxEstimateMs?: number | undefined;
  /**
   * How long `acquire()` and `snapshot()` wait for Redis to be reachable
   * before they fail with a `RedisUnreachableError` naming the host (never
   * the password), in ms: a Redis that is gone fails every waiter by then,
   * instead of each waiting until its own deadline. Default 10,000.
   */
  connectTimeoutMs?: number | undefined;
  /**
   * Redis failures of the limiter's background work (the scans themselves go
   * on), as a `QueueError` (message and cause redacted). Default: ignored.
   */
  onError?: ((error: unknown) => void) | undefined;
}

/** The budget as Redis holds it now. */
export interface SharedLimiterSnapshot {
  /** Whole slots allowed. */
  limit: number;
  /** The fractional limit. */
  value: number;
  /** Capacity learned from the last "busy" (`Infinity` before any). */
  ceiling: number;
  /** Slots held now, by every process. */
  inUse: number;
}

interface Read {
  state: AimdState;
  version: string;
  inUse: number;
  nowMs: number;
}

/**
 * A concurrency limit on the gateway shared by every process that uses the
 * same Redis and budget name, with the semantics of `scanFiles`'s
 * `AdaptiveLimiter`: the same AIMD transitions from `@mdkit/scan`, applied
 * to state kept in Redis. See {@link createSharedLimiter}.
 */
export class SharedLimiter implements ConcurrencyLimiter {
  private readonly redis: Redis;
  private subscriber: Redis | undefined;
  private readonly keys: BudgetKeys;
  private readonly settings: AimdSettings;
  private readonly initial: AimdState;
  private readonly owner = randomUUID();
  private readonly held = new Set<string>();
  private readonly waiters = new WaitQueue<() => void>();
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly onError: (error: unknown) => void;
  private serial = 0;
  private pumping = false;
  private again = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly renewTimer: NodeJS.Timeout;
  private closed = false;
  private started: Promise<void> | undefined;
  private readonly connected: () => Promise<void>;
  private readonly updates = new Set<Promise<void>>();
  private readonly sharedEstimate: SharedEstimate;

  constructor(options: SharedLimiterOptions) {
    const { settings, state } = aimdStart(options);
    this.settings = settings;
    this.initial = state;
    this.keys = budgetKeys(options.prefix ?? "bull", options.name);
    this.leaseMs = options.leaseMs ?? 15_000;
    this.pollMs = options.pollMs ?? 250;
    const onError = options.onError ?? (() => {});
    this.onError = (error) => onError(asQueueError(error, "updating the shared budget"));
    const connection = redisOptionsOf(options.connection);
    // A command in flight when Redis goes away fails after one reconnection attempt (not 20, nor
    // never, as BullMQ's `maxRetriesPerRequest: null` would have it): the next one meets the
    // connect deadline below, and the waiters learn that Redis is gone.
    this.redis = new Redis({ ...connection, lazyConnect: false, maxRetriesPerRequest: 1 });
    this.redis.on("error", (error) => this.onError(error));
    this.connected = connectionGate(
      this.redis,
      describeRedis(connection),
      options.connectTimeoutMs ?? 10_000,
    );
    this.sharedEstimate = new SharedEstimate(
      this.redis,
      this.keys.scanMs,
      options.maxEstimateMs ?? 600_000,
      this.onError,
    );
    this.renewTimer = setInterval(() => void this.renew(), Math.max(10, this.leaseMs / 3));
    this.renewTimer.unref();
    this.ready().catch((error) => this.onError(error));
  }

  /**
   * Resolves once Redis is reachable and the limiter is set up (scripts,
   * state, the shared estimate, the wake-up subscription); a failed setup
   * is tried again by the next call, so the limiter recovers once Redis is back.
   */
  private ready(): Promise<void> {
    this.started ??= this.start().catch((error: unknown) => {
      this.started = undefined;
      throw error;
    });
    return this.started.then(this.connected);
  }

  private async start() {
    await this.connected();
    await Promise.all([INIT, ACQUIRE, RELEASE, RENEW, READ, WRITE].map((s) => s.load(this.redis)));
    await INIT.run(this.redis, [this.keys.state], [this.initial.value]);
    await this.sharedEstimate.load();
    if (!this.subscriber) {
      const subscriber = this.redis.duplicate();
      subscriber.on("error", (error) => this.onError(error));
      subscriber.on("message", () => this.pump());
      this.subscriber = subscriber;
    }
    await this.subscriber.subscribe(this.keys.wake);
  }

  /**
   * How long the gateway takes per file, learned by every process of the
   * budget (kept in Redis): give it to scans as their `estimator` (workers
   * do), so that a process that just started polls when files are likely
   * done rather than early, while their slots are held.
   */
  get estimator(): DurationEstimator {
    return this.sharedEstimate;
  }

  /** Waits for a slot of the shared budget; call the returned function exactly once to give it back. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.closed) return Promise.reject(new QueueError("the shared limiter is closed"));
    const slot = this.waiters.wait(signal);
    this.pump();
    return slot;
  }

  /** The gateway answered "busy": the shared limit shrinks (once per cooldown, for every process). */
  busy(): void {
    // Read now, synchronously queued on the connection: the refused upload still holds its slot.
    this.track(
      this.update((read) => aimdOnBusy(read.state, this.settings, read.inUse, read.nowMs)),
    );
  }

  /** A scan succeeded: the shared limit grows additively. */
  success(): void {
    this.track(this.update((read) => aimdOnSuccess(read.state, this.settings)));
  }

  /** Resolves once every `busy()` and `success()` given so far is applied in Redis. */
  async flush(): Promise<void> {
    await Promise.all([...this.updates]);
  }

  private track(update: Promise<void>) {
    this.updates.add(update);
    void update.finally(() => this.updates.delete(update));
  }

  /** The budget as Redis holds it now. */
  async snapshot(): Promise<SharedLimiterSnapshot> {
    const read = await redisCall("reading the shared budget", async () => {
      await this.ready();
      return this.read();
    });
    return {
      limit: aimdLimit(read.state),
      value: read.state.value,
      ceiling: read.state.ceiling,
      inUse: read.inUse,
    };
  }

  /** Stops: waiters are refused, slots still held are given back, connections closed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.renewTimer);
    clearTimeout(this.retryTimer);
    this.waiters.rejectAll(
      new QueueError("the shared limiter was closed while waiting for a slot"),
    );
    // A Redis that is gone or silent is not waited for: leases of slots still held expire.
    if (this.redis.status === "ready") {
      await this.started?.catch(() => {});
      await this.flush();
      await Promise.all(
        [...this.held].map((member) =>
          RELEASE.run(this.redis, [this.keys.slots], [member, this.keys.wake]).catch(() => {}),
        ),
      );
    }
    this.held.clear();
    const subscriber = this.subscriber;
    await Promise.all([
      subscriber && quitRedis(subscriber, CLOSE_GRACE_MS),
      quitRedis(this.redis, CLOSE_GRACE_MS),
    ]);
  }

  private release(member: string) {
    if (!this.held.delete(member)) return;
    RELEASE.run(this.redis, [this.keys.slots], [member, this.keys.wake]).catch(this.onError);
    // A waiter of this process may take the slot at once.
    this.pump();
  }

  /** Hands slots to waiters, in order, while the budget has room; one pump at a time. */
  private pump() {
    if (this.closed || this.waiters.length === 0) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    void (async () => {
      try {
        do {
          // Each round first meets the connect deadline: a Redis that is gone fails the waiters.
          await this.ready();
          this.again = false;
          while (this.waiters.length > 0 && !this.closed) {
            const member = `${this.owner}:${this.serial++}`;
            const taken = await ACQUIRE.run(
              this.redis,
              [this.keys.state, this.keys.slots],
              [member, this.leaseMs],
            );
            if (taken === -1) {
              await INIT.run(this.redis, [this.keys.state], [this.initial.value]);
              continue;
            }
            if (taken !== 1) break;
            this.held.add(member);
            // The waiter may have given up while the slot was being taken.
            if (!this.waiters.handOut(() => this.release(member))) {
              this.release(member);
              break;
            }
          }
        } while (this.again && !this.closed);
      } catch (error) {
        // Unreachable, or refusing the credentials: every waiter fails now, with the typed error.
        if (error instanceof RedisUnreachableError || error instanceof RedisAuthError)
          this.waiters.rejectAll(error);
        else this.onError(error);
      } finally {
        this.pumping = false;
        this.scheduleRetry();
      }
    })();
  }

  private scheduleRetry() {
    clearTimeout(this.retryTimer);
    if (this.closed || this.waiters.length === 0) return;
    this.retryTimer = setTimeout(() => this.pump(), this.pollMs);
  }

  private async renew() {
    if (this.held.size === 0 || this.closed) return;
    await RENEW.run(this.redis, [this.keys.slots], [this.leaseMs, ...this.held]).catch(
      this.onError,
    );
  }

  private async read(): Promise<Read> {
    const raw = (await READ.run(this.redis, [this.keys.state, this.keys.slots], [])) as string[];
    const [value, ceiling, lastDecreaseMs, version, inUse, nowMs] = raw;
    return {
      state: {
        value: value ? Number(value) : this.initial.value,
        ceiling: ceiling ? Number(ceiling) : this.initial.ceiling,
        lastDecreaseMs: lastDecreaseMs ? Number(lastDecreaseMs) : this.initial.lastDecreaseMs,
      },
      version: version ?? "",
      inUse: Number(inUse),
      nowMs: Number(nowMs),
    };
  }

  /** Applies `transition` to the state in Redis with optimistic concurrency (read, compute, compare-and-set). */
  private async update(transition: (read: Read) => AimdState) {
    try {
      // The first read is issued before any await, so it keeps its place on the connection.
      let pending = this.read();
      for (let attempt = 0; attempt < 16 && !this.closed; attempt++) {
        const read = await pending;
        if (read.version === "") {
          await INIT.run(this.redis, [this.keys.state], [this.initial.value]);
          pending = this.read();
          continue;
        }
        const next = transition(read);
        if (next === read.state) return;
        const grew = aimdLimit(next) > aimdLimit(read.state) ? "1" : "0";
        const written = await WRITE.run(
          this.redis,
          [this.keys.state],
          [
            read.version,
            String(next.value),
            String(next.ceiling),
            String(next.lastDecreaseMs),
            this.keys.wake,
            grew,
          ],
        );
        if (written === 1) return;
        pending = this.read();
      }
    } catch (error) {
      this.onError(error);
    }
  }
}

/**
 * A gateway budget shared through Redis by every worker process of every
 * host: together they hold at most `limit` slots, and the limit adapts to
 * the gateway exactly as `scanFiles`'s `AdaptiveLimiter` does (AIMD on
 * "busy", a learned ceiling probed slowly, a cooldown), because it applies
 * the same transitions from `@mdkit/scan` to state kept in Redis. Slots are
 * leases: a process that dies gives its slots back after `leaseMs`.
 *
 * Implements `ConcurrencyLimiter` of `@mdkit/scan`: pass it as the
 * `limiter` option of `scanFile`, `scanFiles` or `scanBatch`, which take a
 * slot per file on the gateway and report "busy" answers and finished scans
 * to it. Every process of a budget should use the same bounds.
 *
 * @example
 * ```ts
 * const limiter = createSharedLimiter({ connection: "redis://127.0.0.1:6379", name: "gateway-eu", max: 32 });
 * const result = await scanFile(cluster, "./invoice.pdf", { limiter });
 * await limiter.close();
 * ```
 */
export function createSharedLimiter(options: SharedLimiterOptions): SharedLimiter {
  return new SharedLimiter(options);
}

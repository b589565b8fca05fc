// The shared gateway budget: AdaptiveLimiter's arithmetic, kept in Redis, for many processes.
import { AdaptiveLimiter, aimdOnBusy, aimdOnSuccess, aimdStart } from "@mdkit/scan";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createSharedLimiter, type SharedLimiterOptions } from "../src/index.js";
import { redisForTests, uniqueName } from "./helpers.js";

const redis = await redisForTests();
afterAll(() => redis?.stop());

describe.skipIf(!redis)("shared limiter", () => {
  const connection = redis?.socket ?? "";
  const limiters = (options: Partial<SharedLimiterOptions>, count: number) => {
    const name = uniqueName("budget");
    const all = Array.from({ length: count }, () =>
      createSharedLimiter({ connection, name, ...options }),
    );
    return Object.assign(all, {
      name,
      async [Symbol.asyncDispose]() {
        await Promise.all(all.map((l) => l.close()));
      },
    });
  };

  it("applies the same transitions as AdaptiveLimiter, to the same figures", async () => {
    const options = { initial: 3, max: 12, cooldownMs: 0 };
    await using pair = limiters(options, 1);
    const shared = pair[0]!;
    const local = new AdaptiveLimiter(options);
    const { settings } = aimdStart(options);
    let { state } = aimdStart(options);
    const held: Array<() => void> = [];
    const heldLocal: Array<() => void> = [];
    // A seeded walk through successes, acquisitions, releases and "busy" answers.
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let step = 0; step < 200; step++) {
      const roll = random();
      if (roll < 0.55) {
        shared.success();
        local.success();
        state = aimdOnSuccess(state, settings);
      } else if (roll < 0.75 && held.length < local.limit) {
        held.push(await shared.acquire());
        heldLocal.push(await local.acquire());
      } else if (roll < 0.9 && held.length > 0) {
        held.pop()?.();
        heldLocal.pop()?.();
      } else {
        shared.busy();
        local.busy(step);
        state = aimdOnBusy(state, settings, held.length, step);
      }
      await shared.flush();
      const snapshot = await shared.snapshot();
      expect(snapshot.value).toBe(state.value);
      expect(snapshot.limit).toBe(local.limit);
      expect(snapshot.ceiling).toBe(state.ceiling);
      expect(snapshot.inUse).toBe(held.length);
    }
    for (const release of held) release();
  });

  it("is one limit for every process: a slot freed by one is taken by another's waiter", async () => {
    // The fallback poll is 10 s away: only the release's message can wake the waiter in time.
    await using pair = limiters({ initial: 3, max: 3, pollMs: 10_000 }, 2);
    const [a, b] = pair;
    const releases = [await a!.acquire(), await a!.acquire(), await b!.acquire()];
    let waiting = true;
    const next = b!.acquire().then((release) => {
      waiting = false;
      return release;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(waiting).toBe(true);
    expect((await a!.snapshot()).inUse).toBe(3);
    const started = Date.now();
    releases[0]!();
    const release = await next;
    // Woken by the release (pub/sub), long before the fallback poll.
    expect(Date.now() - started).toBeLessThan(5_000);
    release();
    releases[1]!();
    releases[2]!();
  });

  it("a 'busy' seen by one process lowers the limit of all of them", async () => {
    await using pair = limiters({ initial: 6, max: 6 }, 2);
    const [a, b] = pair;
    const held = await Promise.all(Array.from({ length: 6 }, () => a!.acquire()));
    b!.busy();
    await b!.flush();
    expect((await a!.snapshot()).limit).toBe(5);
    for (const release of held) release();
  });

  it("slots of a process that stopped renewing them come back after the lease", async () => {
    await using pair = limiters({ initial: 2, max: 2, leaseMs: 10_000, pollMs: 50 }, 1);
    const limiter = pair[0]!;
    await limiter.snapshot();
    // A holder that died: two leases expiring 300 ms from now, never renewed.
    const raw = new Redis({ path: connection });
    const [seconds] = await raw.time();
    const expiry = Number(seconds) * 1000 + 1_300;
    await raw.zadd(`bull:mdkit-budget:${pair.name}:slots`, expiry, "dead:1", expiry, "dead:2");
    await raw.quit();
    expect((await limiter.snapshot()).inUse).toBe(2);
    const started = Date.now();
    const release = await limiter.acquire(AbortSignal.timeout(5_000));
    expect(Date.now() - started).toBeGreaterThan(200);
    release();
  });

  it("a waiter whose signal aborts leaves without a slot", async () => {
    await using pair = limiters({ initial: 1, max: 1 }, 1);
    const limiter = pair[0]!;
    const release = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
    release();
    const again = await limiter.acquire();
    expect((await limiter.snapshot()).inUse).toBe(1);
    again();
  });

  it("shares how long the gateway takes: a process that starts later begins from that estimate", async () => {
    await using first = limiters({}, 1);
    const learner = first[0]!;
    expect(learner.estimator.estimateMs()).toBeUndefined();
    learner.estimator.observe(1_234);
    // Ordered after the write on the same connection: the estimate is in Redis once this answers.
    await learner.snapshot();
    const late = createSharedLimiter({ connection, name: first.name });
    const stranger = createSharedLimiter({ connection, name: uniqueName("budget") });
    try {
      await Promise.all([late.snapshot(), stranger.snapshot()]);
      expect(late.estimator.estimateMs()).toBe(1_234);
      // Another budget (another gateway) has its own.
      expect(stranger.estimator.estimateMs()).toBeUndefined();
    } finally {
      await Promise.all([late.close(), stranger.close()]);
    }
  });
});

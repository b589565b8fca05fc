// A Redis that goes away under a shared limiter: its waiters fail by the connect deadline with
// RedisUnreachableError instead of trying again every pollMs until their own deadline.
import { startRedis } from "@mdkit/testing/redis";
import { describe, expect, it } from "vitest";
import { createSharedLimiter, RedisUnreachableError } from "../src/index.js";
import { redisForTests, uniqueName } from "./helpers.js";

// Only to learn whether redis-server is installed: each test starts (and stops) its own.
const probe = await redisForTests();
await probe?.stop();

describe.skipIf(!probe)("a Redis that goes away", () => {
  it("a waiter for a slot fails with RedisUnreachableError, not at its own deadline", async () => {
    const redis = await startRedis();
    if (!redis) throw new Error("redis-server vanished");
    const errors: unknown[] = [];
    const limiter = createSharedLimiter({
      connection: redis.socket,
      name: uniqueName("gone"),
      initial: 1,
      max: 1,
      connectTimeoutMs: 300,
      onError: (error) => errors.push(error),
    });
    try {
      const held = await limiter.acquire();
      await redis.stop();
      const waiting = limiter.acquire(AbortSignal.timeout(10_000));
      const error = await waiting.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisUnreachableError);
      expect(error).toMatchObject({ where: redis.socket, timeoutMs: 300 });
      // A new waiter meets the same answer, as long as Redis is gone.
      await expect(limiter.acquire(AbortSignal.timeout(10_000))).rejects.toBeInstanceOf(
        RedisUnreachableError,
      );
      held();
    } finally {
      await limiter.close();
    }
  });

  it("a limiter created while Redis is unreachable fails its waiters the same way", async () => {
    const redis = await startRedis();
    if (!redis) throw new Error("redis-server vanished");
    await redis.stop();
    const limiter = createSharedLimiter({
      connection: redis.socket,
      name: uniqueName("never"),
      connectTimeoutMs: 300,
    });
    try {
      await expect(limiter.acquire(AbortSignal.timeout(10_000))).rejects.toBeInstanceOf(
        RedisUnreachableError,
      );
      await expect(limiter.snapshot()).rejects.toBeInstanceOf(RedisUnreachableError);
    } finally {
      await limiter.close();
    }
  });
});

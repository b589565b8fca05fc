/**
 * A real Redis (with the canary password) that workers share, written by
 * someone else or gone: an analysis-time estimate poisoned to 10^12 ms, NaN,
 * or 8 MiB of spaces before 4·10^9 would hold every first poll back; workers
 * still give their verdicts (EICAR infected) long before the scan deadline.
 * A Redis that stops while a limiter's waiter waits for a slot fails it by
 * the connect deadline with a typed `RedisUnreachableError`, never at the
 * waiter's own deadline, and nothing shows the password.
 */
import {
  createScanQueue,
  createScanWorker,
  createSharedLimiter,
  RedisUnreachableError,
} from "@mdkit/queue";
import { EICAR_TEST_STRING } from "@mdkit/simulator";
import { CANARIES, hostileCase } from "@mdkit/testing/hostile";
import { REDIS_MISSING, type RedisServer, startRedis } from "@mdkit/testing/redis";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { folder, lyingGateway } from "../evidence-setup.js";

const { password } = CANARIES;

/** A redis-server of the case's own, with the canary password; stopped on dispose. */
async function redisWithPassword(): Promise<(RedisServer & AsyncDisposable) | undefined> {
  const server = await startRedis({ password });
  if (!server) console.warn(REDIS_MISSING);
  return server && Object.assign(server, { [Symbol.asyncDispose]: () => server.stop() });
}
const available = await redisWithPassword();
await available?.stop();

const poisons: Array<[string, string]> = [
  ["10^12 ms", "1000000000000"],
  ["NaN", "NaN"],
  ["8 MiB of spaces, then 4·10^9", `${" ".repeat(8 << 20)}4000000000`],
];

describe.skipIf(!available)("a Redis shared by the workers", () => {
  it.each(poisons)(
    "an analysis-time estimate poisoned to %s: verdicts, promptly",
    async (label, value) => {
      await hostileCase(
        `redis: estimate poisoned to ${label}`,
        { deadlineMs: 5_000 },
        async (probe) => {
          await using redis = await redisWithPassword();
          const connection = { path: redis?.socket, password };
          const name = `poisoned-${process.pid}`;
          const writer = new Redis(connection);
          await writer.set(`bull:mdkit-budget:${name}:scan-ms`, value);
          await writer.quit();
          await using env = await lyingGateway(() => undefined);
          await using dir = await folder({ "a.txt": "fine", "eicar.com": EICAR_TEST_STRING });
          // The first poll may come as late as the deadline (maxIntervalMs): only the estimate decides.
          const worker = createScanWorker({
            connection,
            name,
            cluster: env.cluster,
            scan: { timeoutMs: 5_000, maxIntervalMs: 5_000 },
          });
          worker.on("error", (error) => probe.error("worker error", error));
          const queue = createScanQueue({ connection, name });
          try {
            await worker.ready();
            await queue.add([dir.file("a.txt"), dir.file("eicar.com")], { attempts: 1 });
            for await (const result of queue.results()) {
              probe.output("result", result);
              if (result.name === "eicar.com") probe.infected(result.ok && result.result.clean);
              expect(result.ok && result.result.verdict).toBe(
                result.name === "eicar.com" ? "infected" : "clean",
              );
            }
            expect((await queue.status()).results).toBe(2);
          } finally {
            await worker.close();
            await queue.obliterate();
            await queue.close();
          }
        },
      );
    },
  );

  it("Redis stops while a limiter's waiter waits for a slot: a typed, redacted error by the connect deadline", async () => {
    await hostileCase(
      "redis: gone under a waiting limiter",
      { deadlineMs: 1_000 },
      async (probe) => {
        const redis = await redisWithPassword();
        const limiter = createSharedLimiter({
          connection: { path: redis?.socket, password },
          name: `gone-${process.pid}`,
          initial: 1,
          max: 1,
          connectTimeoutMs: 1_000,
          onError: (error) => probe.error("limiter error", error),
        });
        try {
          const held = await limiter.acquire();
          await redis?.stop();
          // The waiter's own deadline is far away: only the connect deadline can end it in time.
          const error = await limiter.acquire(AbortSignal.timeout(60_000)).catch((e: unknown) => e);
          probe.error("acquire", error);
          expect(error).toBeInstanceOf(RedisUnreachableError);
          expect((error as RedisUnreachableError).where).toBe(redis?.socket);
          held();
        } finally {
          await limiter.close();
        }
      },
    );
  });
});

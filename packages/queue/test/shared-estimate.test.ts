// The analysis-time estimate a budget keeps in Redis is read as untrusted input: a stored value
// that is not whole ms within (0, maxEstimateMs] is ignored, whatever its size or type, and a
// poisoned value never holds workers back until their deadline.
import { EICAR_TEST_STRING } from "@mdkit/simulator";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createScanQueue, createScanWorker, createSharedLimiter } from "../src/index.js";
import { storedEstimate } from "../src/internal/shared-estimate.js";
import { collect, files, gateway, redisForTests, uniqueName } from "./helpers.js";

const redis = await redisForTests();
afterAll(() => redis?.stop());

describe("storedEstimate", () => {
  it("is whole ms within (0, max], written as at most 16 digits; nothing else", () => {
    expect(storedEstimate("1234", 600_000)).toBe(1_234);
    expect(storedEstimate("600000", 600_000)).toBe(600_000);
    for (const text of [
      null,
      "",
      "0",
      "600001",
      "1000000000000",
      "1e12",
      "NaN",
      "Infinity",
      "-5",
      "+5",
      " 5000",
      "5000 ",
      "0x10",
      "12.5",
      "5".repeat(17),
    ])
      expect(storedEstimate(text, 600_000), String(text)).toBeUndefined();
  });
});

describe.skipIf(!redis)("a poisoned estimate in Redis", () => {
  const connection = redis?.socket ?? "";
  const raw = () => new Redis({ path: connection });
  const estimateKey = (budget: string) => `bull:mdkit-budget:${budget}:scan-ms`;

  it("is ignored whatever it holds, and the budget still works", async () => {
    const writer = raw();
    try {
      const poisons: Array<[string, (key: string) => Promise<unknown>]> = [
        ["10^12", (key) => writer.set(key, "1000000000000")],
        ["NaN", (key) => writer.set(key, "NaN")],
        ["negative", (key) => writer.set(key, "-250")],
        ["over the scans' timeout", (key) => writer.set(key, "30001")],
        ["8 MiB of spaces, then 50", (key) => writer.set(key, `${" ".repeat(8 << 20)}50`)],
        ["a hash", (key) => writer.hset(key, "ms", "50")],
      ];
      for (const [label, poison] of poisons) {
        const name = uniqueName("poisoned");
        await poison(estimateKey(name));
        const errors: unknown[] = [];
        const limiter = createSharedLimiter({
          connection,
          name,
          maxEstimateMs: 30_000,
          onError: (error) => errors.push(error),
        });
        try {
          await limiter.snapshot();
          expect(limiter.estimator.estimateMs(), label).toBeUndefined();
          const release = await limiter.acquire(AbortSignal.timeout(5_000));
          release();
        } finally {
          await limiter.close();
        }
      }
      // A sound one is believed (within the bound it is given).
      const name = uniqueName("sound");
      await writer.set(estimateKey(name), "4321");
      const limiter = createSharedLimiter({ connection, name, maxEstimateMs: 30_000 });
      await limiter.snapshot();
      expect(limiter.estimator.estimateMs()).toBe(4_321);
      await limiter.close();
    } finally {
      await writer.quit();
    }
  });

  it("workers still give verdicts, not timeouts, when it says 10^12 ms", async () => {
    const name = uniqueName("poisoned-queue");
    const writer = raw();
    await writer.set(estimateKey(name), "1000000000000");
    await writer.quit();
    const { cluster, sim } = gateway();
    const queue = createScanQueue({ connection, name });
    // A first poll may come as late as the deadline (maxIntervalMs): only the estimate decides it.
    const worker = createScanWorker({
      connection,
      name,
      cluster,
      scan: { timeoutMs: 3_000, maxIntervalMs: 3_000 },
    });
    const dir = await files({ "a.txt": "fine", "eicar.com": EICAR_TEST_STRING });
    try {
      await worker.ready();
      await queue.add([dir.path("a.txt"), dir.path("eicar.com")], { attempts: 1 });
      const results = await collect(queue.results());
      const verdicts = Object.fromEntries(
        results.map((r) => [r.name, r.ok ? r.result.verdict : r.error.name]),
      );
      expect(verdicts).toEqual({ "a.txt": "clean", "eicar.com": "infected" });
      expect(worker.limiter?.estimator.estimateMs()).toBeLessThan(3_000);
    } finally {
      await worker.close();
      await queue.obliterate();
      await queue.close();
      await sim.close();
      await dir.remove();
    }
  });
});

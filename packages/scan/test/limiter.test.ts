// AdaptiveLimiter: a bound that grows with success and shrinks on "server busy".
import { describe, expect, it } from "vitest";
import { AdaptiveLimiter } from "../src/index.js";

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Holds `n` slots at once; returns their release functions. */
async function hold(limiter: AdaptiveLimiter, n: number) {
  const releases: Array<() => void> = [];
  for (let i = 0; i < n; i++) releases.push(await limiter.acquire());
  return releases;
}

describe("AdaptiveLimiter", () => {
  it("never lets more than `limit` run at once", async () => {
    const limiter = new AdaptiveLimiter({ initial: 3, max: 3 });
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const release = await limiter.acquire();
        running++;
        peak = Math.max(peak, running);
        expect(limiter.inFlight).toBeLessThanOrEqual(3);
        await new Promise((resolve) => setTimeout(resolve, i % 3));
        running--;
        limiter.success();
        release();
      }),
    );
    expect(peak).toBe(3);
    expect(limiter.inFlight).toBe(0);
  });

  it("grows with success (a slot per success until the first busy), up to max, and wakes waiters as it grows", async () => {
    const limiter = new AdaptiveLimiter({ initial: 2, max: 5 });
    await hold(limiter, 2);
    let third = false;
    void limiter.acquire().then(() => {
      third = true;
    });
    await tick();
    expect(third).toBe(false);
    // Slow start: nothing refused yet, so each success adds a slot.
    limiter.success();
    expect(limiter.limit).toBe(3);
    await tick();
    expect(third).toBe(true);
    for (let i = 0; i < 100; i++) limiter.success();
    expect(limiter.limit).toBe(5);
  });

  it("a release is counted once, even if called twice", async () => {
    const limiter = new AdaptiveLimiter({ initial: 2, max: 2 });
    const [release] = await hold(limiter, 2);
    release?.();
    release?.();
    expect(limiter.inFlight).toBe(1);
  });

  it("busy settles at what the server took, one refused upload at a time", async () => {
    const limiter = new AdaptiveLimiter({ initial: 8, max: 8, cooldownMs: 200 });
    const releases = await hold(limiter, 8);
    // A gateway of capacity 5 refuses three of the eight uploads; each gives its slot back.
    for (const [at, expected] of [
      [1_000, 7],
      [1_010, 6],
      [1_020, 5],
    ] as const) {
      limiter.busy(at);
      expect(limiter.limit).toBe(expected);
      releases.pop()?.();
    }
    // Below the limit (the server is loaded by others too): what it took of ours, 3 - 1.
    for (const release of releases.splice(0, 2)) release();
    limiter.busy(1_100);
    expect(limiter.limit).toBe(2);
    for (const release of releases) release();
    for (let t = 2_000; t < 10_000; t += 1_000) limiter.busy(t);
    expect(limiter.limit).toBe(1); // never below min
  });

  it("probes slowly above the learned ceiling, and not at all after stopProbing", async () => {
    const make = async () => {
      const limiter = new AdaptiveLimiter({ initial: 4, max: 16, cooldownMs: 0 });
      const releases = await hold(limiter, 4);
      limiter.busy(0); // capacity found: 3
      for (const release of releases) release();
      return limiter;
    };
    const probing = await make();
    const stopped = await make();
    stopped.stopProbing();
    expect(probing.limit).toBe(3);
    expect(stopped.limit).toBe(3);
    // At normal growth, 10 successes would add about 2.5 slots; above the ceiling only a sliver.
    for (let i = 0; i < 10; i++) probing.success();
    expect(probing.limit).toBe(3);
    for (let i = 0; i < 1_000; i++) {
      probing.success();
      stopped.success();
    }
    expect(probing.limit).toBeGreaterThan(3);
    expect(stopped.limit).toBe(3);
  });

  it("a waiter whose signal aborts leaves the queue without taking a slot", async () => {
    const limiter = new AdaptiveLimiter({ initial: 1, max: 1 });
    const [release] = await hold(limiter, 1);
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
    release?.();
    expect(limiter.inFlight).toBe(0);
    const again = await limiter.acquire();
    expect(limiter.inFlight).toBe(1);
    again();
    // An aborted caller gets no slot, even a free one.
    await expect(limiter.acquire(AbortSignal.abort(new Error("gone")))).rejects.toThrow("gone");
    expect(limiter.inFlight).toBe(0);
  });
});

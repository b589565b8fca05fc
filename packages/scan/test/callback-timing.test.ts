// When polling takes over from a callback that does not come, on an injected
// clock: nothing before the expected end plus the grace, then slow polls,
// then normal polling, until the gateway's own verdict. An estimator that
// answers nonsense is not believed.
import type { ClusterSimulatorOptions } from "@mdkit/simulator";
import { manualClock } from "@mdkit/testing";
import { describe, expect, it } from "vitest";
import {
  type CallbackReceiver,
  createCallbackHandler,
  type DurationEstimator,
  scanFile,
} from "../src/index.js";
import { bytes, EICAR, onClock, setup } from "./helpers.js";

/** A receiver whose patience is 1 s of grace, then 3 slow polls 5 s apart. */
const patientReceiver = () =>
  createCallbackHandler({
    publicUrl: "http://callbacks.test/hooks",
    patience: { graceMs: 1_000, slowPollIntervalMs: 5_000, slowPolls: 3 },
  });

/**
 * Scans EICAR on a manual clock against a simulator playing `cluster`, and
 * returns the verdict with the time of each poll, in ms after the upload.
 */
async function scanTimed(
  cluster: ClusterSimulatorOptions,
  scan: { callbacks?: CallbackReceiver; estimator?: DurationEstimator },
) {
  const clock = manualClock();
  const polls: number[] = [];
  let uploadedAt = 0;
  await using env = setup({ now: clock.now, cluster }, (fetch) => async (request) => {
    const response = await fetch(request);
    if (request.method === "POST" && new URL(request.url).pathname === "/file") {
      uploadedAt = clock.now();
    } else if (request.method === "GET") polls.push(clock.now() - uploadedAt);
    return response;
  });
  const result = await onClock(
    clock,
    scanFile(
      env.cluster,
      { data: bytes(EICAR), name: "eicar.com" },
      { ...scan, hashFirst: false, clock, timeoutMs: 120_000 },
    ),
  );
  return { verdict: result.verdict, polls };
}

describe("a callback that never comes", () => {
  it("costs no request until the expected end + graceMs, then slow polls, then normal ones", async () => {
    const receiver = patientReceiver();
    const { verdict, polls } = await scanTimed(
      { scanDurationMs: 30_000, callbacks: { lossRate: 1, fetch: receiver.fetch } },
      { callbacks: receiver },
    );
    expect(verdict).toBe("infected");
    // Nothing polled before the expected end (100 ms, nothing learnt yet) + the grace.
    expect(polls[0]).toBeGreaterThanOrEqual(1_100);
    // The slow phase: 3 polls 5 s apart (a poll may come up to 2 % late).
    expect(polls[1]! - polls[0]!).toBeGreaterThanOrEqual(5_000);
    expect(polls[2]! - polls[1]!).toBeGreaterThanOrEqual(5_000);
    // Then normal polling, which ends once the analysis (30 s) is done.
    expect(polls.at(-1)).toBeGreaterThanOrEqual(30_000);
    expect(polls.length).toBeLessThan(40);
    expect(receiver.stats.outstanding).toBe(0);
    await receiver.close();
  });
});

describe("an estimator that answers nonsense", () => {
  const answering = (figure: number): DurationEstimator => ({
    observe() {},
    estimateMs: () => figure,
  });

  it.each([
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["a negative figure", -5_000],
  ])(
    "answering %s is not believed: a lost callback is polled for after initialDelayMs + graceMs",
    async (_label, figure) => {
      const receiver = patientReceiver();
      const { verdict, polls } = await scanTimed(
        { scanDurationMs: 500, callbacks: { lossRate: 1, fetch: receiver.fetch } },
        { callbacks: receiver, estimator: answering(figure) },
      );
      expect(verdict).toBe("infected");
      // The first poll after the default expectation (100 ms) + the grace: not never, not at once.
      expect(polls[0]).toBeGreaterThanOrEqual(1_100);
      expect(polls[0]).toBeLessThanOrEqual(1_300);
      expect(polls).toHaveLength(1);
      await receiver.close();
    },
  );

  it.each([
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
  ])("answering %s is not believed by plain polling either", async (_label, figure) => {
    const { verdict, polls } = await scanTimed(
      { scanDurationMs: 500 },
      { estimator: answering(figure) },
    );
    expect(verdict).toBe("infected");
    expect(polls[0]).toBeGreaterThanOrEqual(100);
    expect(polls[0]).toBeLessThanOrEqual(300);
    expect(polls.at(-1)).toBeLessThan(5_000);
  });
});

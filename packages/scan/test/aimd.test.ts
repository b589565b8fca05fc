// The AIMD arithmetic as pure transitions: what AdaptiveLimiter and the queue's shared limiter both apply.
import { describe, expect, it } from "vitest";
import { AdaptiveLimiter, aimdLimit, aimdOnBusy, aimdOnSuccess, aimdStart } from "../src/index.js";

describe("aimd transitions", () => {
  it("start within the bounds, whatever the options say", () => {
    expect(aimdStart({ initial: 100, max: 10 }).state.value).toBe(10);
    expect(aimdStart({ initial: 0, min: 0 }).state.value).toBe(1);
    expect(aimdStart().settings).toEqual({
      min: 1,
      max: 64,
      decrease: 0.8,
      probeRate: 1 / 64,
      cooldownMs: 200,
    });
  });

  it("add a slot per success until the first busy (slow start), then about one per round; never past max", () => {
    const { settings, state } = aimdStart({ initial: 4, max: 64 });
    let s = state;
    for (let i = 0; i < 4; i++) s = aimdOnSuccess(s, settings);
    // Slow start: one round of 4 successes doubles the limit.
    expect(aimdLimit(s)).toBe(8);
    // Once a ceiling is known (here above the limit), growth is about +1 per round.
    s = { value: 4, ceiling: 10, lastDecreaseMs: 0 };
    for (let i = 0; i < 4; i++) s = aimdOnSuccess(s, settings);
    expect(aimdLimit(s)).toBe(4);
    s = aimdOnSuccess(s, settings);
    expect(aimdLimit(s)).toBe(5);
    const capped = aimdStart({ initial: 4, max: 6 });
    s = capped.state;
    for (let i = 0; i < 100; i++) s = aimdOnSuccess(s, capped.settings);
    expect(s.value).toBe(6);
  });

  it("busy at the limit learns the capacity, refusal by refusal; below it, a cooldown makes a burst one signal", () => {
    const { settings, state } = aimdStart({ initial: 8, cooldownMs: 200 });
    const once = aimdOnBusy(state, settings, 8, 1_000);
    expect(once).toEqual({ value: 7, ceiling: 7, lastDecreaseMs: 1_000 });
    // Another refusal while the 8 slots are still taken tells nothing new.
    expect(aimdOnBusy(once, settings, 8, 1_050).value).toBe(7);
    // A refusal at the new limit (a refused upload gave its slot back): one fewer, however soon.
    expect(aimdOnBusy(once, settings, 7, 1_050)).toEqual({
      value: 6,
      ceiling: 6,
      lastDecreaseMs: 1_050,
    });
    // Below the limit: at most what the server took (inUse - 1) at once...
    expect(aimdOnBusy(once, settings, 3, 1_100)).toEqual({
      value: 2,
      ceiling: 2,
      lastDecreaseMs: 1_000,
    });
    // ...and a multiplicative decrease, at most once per cooldown, when that is smaller.
    const wide = { value: 20, ceiling: Number.POSITIVE_INFINITY, lastDecreaseMs: 1_000 };
    expect(aimdOnBusy(wide, settings, 19, 1_199).value).toBe(18);
    expect(aimdOnBusy(wide, settings, 19, 1_200)).toEqual({
      value: 16,
      ceiling: 18,
      lastDecreaseMs: 1_200,
    });
  });

  it("a limit started far above the capacity falls to it with the first refusals, however slowly work arrives", () => {
    const { settings, state } = aimdStart({ initial: 64, max: 64 });
    // Work trickles in: the gateway (capacity 4) refuses the fifth file while 5 are in use.
    const after = aimdOnBusy(state, settings, 5, 0);
    expect(aimdLimit(after)).toBe(4);
    expect(after.ceiling).toBe(4);
  });

  it("are what AdaptiveLimiter applies, event for event", async () => {
    const options = { initial: 3, max: 12, cooldownMs: 50 };
    const limiter = new AdaptiveLimiter(options);
    const { settings } = aimdStart(options);
    let { state } = aimdStart(options);
    const held: Array<() => void> = [];
    for (let step = 0; step < 300; step++) {
      const kind = (step * 7919) % 11;
      if (kind < 6) {
        limiter.success();
        state = aimdOnSuccess(state, settings);
      } else if (kind < 8 && held.length < limiter.limit) {
        held.push(await limiter.acquire());
      } else if (kind < 9 && held.length) {
        held.pop()?.();
      } else {
        limiter.busy(step * 20);
        state = aimdOnBusy(state, settings, held.length, step * 20);
      }
      expect(limiter.limit).toBe(aimdLimit(state));
    }
  });
});

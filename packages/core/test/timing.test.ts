import { manualClock } from "@mdkit/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  backoffDelay,
  createDeadline,
  DeadlineExceededError,
  deadlineAt,
  isDeadlineExceeded,
  MAX_TIMER_MS,
  sleep,
} from "../src/index.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("sleep", () => {
  it("rejects at once, without a timer, when the signal has already aborted", async () => {
    vi.useFakeTimers();
    const reason = new Error("stopped");
    const pending = sleep(1_000, AbortSignal.abort(reason));
    expect(vi.getTimerCount()).toBe(0);
    await expect(pending).rejects.toBe(reason);
  });

  it("rejects with the signal's reason when it aborts mid-wait, and clears its timer", async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const pending = sleep(10_000, controller.signal);
    vi.advanceTimersByTime(100);
    controller.abort(new Error("cancelled"));
    await expect(pending).rejects.toThrow("cancelled");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("caps a delay beyond 2^31-1 ms instead of firing at once", async () => {
    vi.useFakeTimers();
    let done = false;
    const pending = sleep(1e12).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS - 1_000);
    await pending;
    expect(done).toBe(true);
  });
});

describe("backoffDelay", () => {
  it("grows exponentially with equal jitter and a cap", () => {
    const options = { initialMs: 100, maxMs: 1_000 };
    expect(backoffDelay(0, options, () => 0)).toBe(50);
    expect(backoffDelay(0, options, () => 0.999_999)).toBeCloseTo(100, 3);
    expect(backoffDelay(3, options, () => 0)).toBe(400);
    expect(backoffDelay(30, options, () => 0.5)).toBe(750);
    expect(backoffDelay(2, { ...options, factor: 3 }, () => 0)).toBe(450);
  });
});

describe("createDeadline", () => {
  it("aborts its signal at the deadline with a typed error", async () => {
    const clock = manualClock();
    const deadline = createDeadline({ timeoutMs: 1_000, clock, what: "the upload" });
    expect(deadline.remainingMs()).toBe(1_000);
    expect(deadline.allows(999)).toBe(true);
    expect(deadline.allows(1_000)).toBe(false);
    clock.advance(999);
    await Promise.resolve();
    expect(deadline.signal.aborted).toBe(false);
    clock.advance(1);
    await Promise.resolve();
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.expired).toBe(true);
    const reason = deadline.signal.reason;
    expect(reason).toBeInstanceOf(DeadlineExceededError);
    expect(isDeadlineExceeded(reason)).toBe(true);
    expect(reason.timeoutMs).toBe(1_000);
    expect(reason.message).toBe("[@mdkit/core] the upload did not finish within 1000 ms");
    expect(deadline.remainingMs()).toBe(0);
  });

  it("is bounded by a deadline the caller's signal carries", () => {
    const clock = manualClock();
    const outer = createDeadline({ timeoutMs: 500, clock });
    const inner = createDeadline({ timeoutMs: 10_000, signal: outer.signal, clock });
    expect(deadlineAt(inner.signal)).toBe(clock.now() + 500);
    expect(inner.remainingMs()).toBe(500);
    const unbounded = createDeadline({ signal: outer.signal, clock });
    expect(unbounded.remainingMs()).toBe(500);
    for (const d of [outer, inner, unbounded]) d.dispose();
  });

  it("follows the caller's abort with its reason, which is not expiry", () => {
    const clock = manualClock();
    const caller = new AbortController();
    const deadline = createDeadline({ timeoutMs: 1_000, signal: caller.signal, clock });
    const reason = new Error("user gave up");
    caller.abort(reason);
    expect(deadline.signal.reason).toBe(reason);
    expect(deadline.expired).toBe(false);
    deadline.dispose();
  });

  it("starts aborted when the caller's signal already is, or the deadline is 0", () => {
    const clock = manualClock();
    expect(createDeadline({ signal: AbortSignal.abort(), clock }).signal.aborted).toBe(true);
    const zero = createDeadline({ timeoutMs: 0, clock });
    expect(zero.expired).toBe(true);
    expect(isDeadlineExceeded(zero.signal.reason)).toBe(true);
  });

  it("has no deadline without timeoutMs, and stops its timer on dispose", () => {
    const clock = manualClock();
    const none = createDeadline({ clock });
    expect(none.at).toBeUndefined();
    expect(none.remainingMs()).toBe(Number.POSITIVE_INFINITY);
    {
      using deadline = createDeadline({ timeoutMs: 1_000, clock });
      expect(clock.pending).toBe(1);
      expect(deadline.signal.aborted).toBe(false);
    }
    expect(clock.pending).toBe(0);
  });
});

/**
 * The plumbing of a scanFiles run: each file's signal follows the run's
 * through one listener, a callback wait's phase follows the scan's signal
 * until it stops, and paths are opened a few ahead, in order.
 */
import { getEventListeners } from "node:events";
import { systemClock } from "@mdkit/core";
import { manualClock } from "@mdkit/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { untilCallback, type Woken } from "../src/internal/callback-race.js";
import { readAhead } from "../src/internal/read-ahead.js";
import { followSignal, SignalFan } from "../src/internal/signal-fan.js";

describe("SignalFan", () => {
  it("aborts every file in flight with the run's reason, through a single listener", () => {
    const run = new AbortController();
    const fan = new SignalFan(run.signal);
    const files = Array.from({ length: 50 }, () => fan.follow());
    const done = files.slice(0, 10);
    for (const file of done) file.release();
    expect(getEventListeners(run.signal, "abort")).toHaveLength(1);
    const reason = new Error("stopped");
    run.abort(reason);
    for (const file of files.slice(10)) expect(file.signal.reason).toBe(reason);
    // A file already done is left alone.
    for (const file of done) expect(file.signal.aborted).toBe(false);
  });

  it("gives a file that starts after the run stopped an aborted signal", () => {
    const run = new AbortController();
    const fan = new SignalFan(run.signal);
    run.abort(new Error("late"));
    const file = fan.follow();
    expect(file.signal.aborted).toBe(true);
    expect((file.signal.reason as Error).message).toBe("late");
  });
});

describe("followSignal", () => {
  it("aborts with the parent's reason while it runs; stopped, it aborts and leaves no listener", () => {
    const scan = new AbortController();
    const first = followSignal(scan.signal);
    expect(getEventListeners(scan.signal, "abort")).toHaveLength(1);
    first.stop();
    first.stop();
    expect(first.signal.aborted).toBe(true);
    expect(getEventListeners(scan.signal, "abort")).toHaveLength(0);
    const second = followSignal(scan.signal);
    const reason = new Error("deadline");
    scan.abort(reason);
    expect(second.signal.reason).toBe(reason);
    expect((first.signal.reason as Error).name).toBe("AbortError");
  });

  it("follows a parent that already aborted at once, without a listener", () => {
    const scan = new AbortController();
    scan.abort(new Error("gone"));
    const phase = followSignal(scan.signal);
    expect((phase.signal.reason as Error).message).toBe("gone");
    expect(getEventListeners(scan.signal, "abort")).toHaveLength(0);
    phase.stop();
    expect((phase.signal.reason as Error).message).toBe("gone");
  });
});

describe("untilCallback (a callback wait's first phase)", () => {
  afterEach(() => vi.useRealTimers());
  const never = new Promise<Woken>(() => {});

  it("on the system clock: the callback first stops the timer and leaves no listener", async () => {
    vi.useFakeTimers();
    const scan = new AbortController();
    let call!: (woken: Woken) => void;
    const phase = untilCallback(
      new Promise((resolve) => (call = resolve)),
      scan.signal,
      systemClock,
      1_000,
    );
    expect(getEventListeners(scan.signal, "abort")).toHaveLength(1);
    call({ outcome: "called" });
    expect(await phase).toEqual({ outcome: "called" });
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(scan.signal, "abort")).toHaveLength(0);
  });

  it("on the system clock: ends with nothing once the time is up, rejects when the scan's signal aborts", async () => {
    vi.useFakeTimers();
    const scan = new AbortController();
    const late = untilCallback(never, scan.signal, systemClock, 1_000);
    await vi.advanceTimersByTimeAsync(999);
    const aborted = untilCallback(never, scan.signal, systemClock, 1_000);
    await vi.advanceTimersByTimeAsync(1);
    expect(await late).toBeUndefined();
    const reason = new Error("deadline");
    scan.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
    await expect(untilCallback(never, scan.signal, systemClock, 1_000)).rejects.toBe(reason);
  });

  it("on another clock: waits on that clock", async () => {
    const clock = manualClock();
    const scan = new AbortController();
    const phase = untilCallback(never, scan.signal, clock, 500);
    clock.advance(499);
    expect(clock.sleeps).toEqual([500]);
    expect(clock.pending).toBe(1);
    clock.advance(1);
    expect(await phase).toBeUndefined();
    expect(getEventListeners(scan.signal, "abort")).toHaveLength(0);
  });
});

describe("readAhead", () => {
  const take = async <T>(gen: AsyncGenerator<T>, n: number) => {
    const out: T[] = [];
    for (let i = 0; i < n; i++) {
      const next = await gen.next();
      if (next.done) break;
      out.push(next.value);
    }
    return out;
  };

  it("yields in input order, whatever order the opens finish in", async () => {
    const delays = [30, 5, 20, 1, 10, 0, 15];
    const opened = readAhead(
      delays.map((ms, i) => ({ ms, i })),
      ({ ms, i }) => new Promise<number>((resolve) => setTimeout(() => resolve(i), ms)),
      3,
    );
    expect(await take(opened, 10)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("hands out what is ready while the source waits for its next input", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    async function* slow() {
      yield* [0, 1, 2];
      await gate;
      yield 3;
    }
    const opened = readAhead(slow(), async (i) => i, 4);
    expect(await take(opened, 3)).toEqual([0, 1, 2]);
    release();
    expect(await take(opened, 5)).toEqual([3]);
  });

  it("opens at most depth + 1 inputs beyond what was taken, and no more once the consumer leaves", async () => {
    let opens = 0;
    async function* endless() {
      for (let i = 0; ; i++) yield i;
    }
    const opened = readAhead(
      endless(),
      async (i) => {
        opens++;
        return i;
      },
      4,
    );
    expect(await take(opened, 2)).toEqual([0, 1]);
    await opened.return(undefined);
    await new Promise((resolve) => setImmediate(resolve));
    expect(opens).toBeGreaterThanOrEqual(2);
    expect(opens).toBeLessThanOrEqual(2 + 5);
  });

  it("fails the iteration when the source fails, after the results before it", async () => {
    async function* failing() {
      yield 0;
      throw new Error("cannot list the folder");
    }
    const opened = readAhead(failing(), async (i) => i, 4);
    expect((await opened.next()).value).toBe(0);
    await expect(opened.next()).rejects.toThrow("cannot list the folder");
  });
});

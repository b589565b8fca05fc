/**
 * The one timer a request runs its phases on: each wait replaces the one
 * before, nothing fires once cleared or disposed, and on the system clock a
 * later wait reuses the timer already set.
 */
import { manualClock } from "@mdkit/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PhaseTimer } from "../src/internal/phase-timer.js";
import { systemClock } from "../src/timing/clock.js";

/** Lets the manual clock's ended sleeps run their callbacks. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("PhaseTimer", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("fires the latest wait, counted from when it was set", async () => {
    const clock = manualClock();
    const timer = new PhaseTimer(clock);
    const fired: string[] = [];
    timer.set(100, () => fired.push("connect"));
    clock.advance(60);
    timer.set(100, () => fired.push("headers"));
    clock.advance(60);
    await settle();
    expect(fired).toEqual([]);
    clock.advance(40);
    await settle();
    expect(fired).toEqual(["headers"]);
    expect(clock.pending).toBe(0);
  });

  it("fires nothing once cleared or disposed, and leaves no wait on a manual clock", async () => {
    const clock = manualClock();
    const timer = new PhaseTimer(clock);
    const fire = vi.fn();
    timer.set(100, fire);
    timer.clear();
    expect(clock.pending).toBe(0);
    clock.advance(200);
    timer.set(50, fire);
    timer.dispose();
    clock.advance(200);
    await settle();
    expect(fire).not.toHaveBeenCalled();
    expect(clock.pending).toBe(0);
  });

  it("a shorter wait than the one set moves the timer earlier", async () => {
    const clock = manualClock();
    const timer = new PhaseTimer(clock);
    const fire = vi.fn();
    timer.set(1_000, fire);
    timer.set(10, fire);
    clock.advance(10);
    await settle();
    expect(fire).toHaveBeenCalledOnce();
  });

  it("lazy on the system clock: one setTimeout for waits that only move later", () => {
    vi.useFakeTimers();
    const timer = new PhaseTimer(systemClock, { lazy: true });
    const fired: string[] = [];
    timer.set(1_000, () => fired.push("first"));
    vi.advanceTimersByTime(500);
    timer.set(1_000, () => fired.push("second"));
    timer.clear();
    timer.set(1_000, () => fired.push("third"));
    expect(vi.getTimerCount()).toBe(1);
    // The timer wakes at 1,000 ms, sees the wait moved to 1,500 and sets itself for the rest.
    vi.advanceTimersByTime(600);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(400);
    expect(fired).toEqual(["third"]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("lazy: a cleared wait never fires, and dispose drops the timer", () => {
    vi.useFakeTimers();
    const timer = new PhaseTimer(systemClock, { lazy: true });
    const fire = vi.fn();
    timer.set(100, fire);
    timer.clear();
    vi.advanceTimersByTime(200);
    expect(fire).not.toHaveBeenCalled();
    timer.set(100, fire);
    timer.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });
});

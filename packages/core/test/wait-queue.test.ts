import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { WaitQueue } from "../src/index.js";

describe("WaitQueue", () => {
  it("hands values out in arrival order, and says when nobody waits", async () => {
    const queue = new WaitQueue<string>();
    expect(queue.handOut("nobody")).toBe(false);
    const first = queue.wait();
    const second = queue.wait();
    expect(queue.length).toBe(2);
    expect(queue.handOut("a")).toBe(true);
    expect(queue.handOut("b")).toBe(true);
    expect(await Promise.all([first, second])).toEqual(["a", "b"]);
    expect(queue.length).toBe(0);
  });

  it("an aborted waiter leaves the queue with the signal's reason and is never handed a value", async () => {
    const queue = new WaitQueue<number>();
    const giveUp = new AbortController();
    const leaving = queue.wait(giveUp.signal);
    const staying = queue.wait();
    giveUp.abort(new Error("gave up"));
    await expect(leaving).rejects.toThrow("gave up");
    expect(queue.length).toBe(1);
    queue.handOut(7);
    expect(await staying).toBe(7);
  });

  it("refuses at once a signal that has already aborted, without queueing", async () => {
    const queue = new WaitQueue<number>();
    await expect(queue.wait(AbortSignal.abort("too late"))).rejects.toBe("too late");
    expect(queue.length).toBe(0);
  });

  it("rejectAll rejects every waiter and empties the queue; a later abort changes nothing", async () => {
    const queue = new WaitQueue<number>();
    const abort = new AbortController();
    const waiting = [queue.wait(abort.signal), queue.wait()];
    queue.rejectAll(new Error("closed"));
    abort.abort(new Error("after"));
    for (const w of waiting) await expect(w).rejects.toThrow("closed");
    expect(queue.length).toBe(0);
  });

  it("follows a signal shared by many waiters with one listener, removed with the last waiter", async () => {
    const queue = new WaitQueue<number>();
    const run = new AbortController();
    const waiting = Array.from({ length: 50 }, () => queue.wait(run.signal));
    // 50 waiters on a run's signal: one listener (no MaxListenersExceededWarning past ten).
    expect(EventEmitter.getEventListeners(run.signal, "abort")).toHaveLength(1);
    for (let i = 0; i < 49; i++) queue.handOut(i);
    expect(EventEmitter.getEventListeners(run.signal, "abort")).toHaveLength(1);
    queue.handOut(49);
    expect(EventEmitter.getEventListeners(run.signal, "abort")).toHaveLength(0);
    expect(await Promise.all(waiting)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it("an abort of a shared signal takes all its waiters out, and only them, in one go", async () => {
    const queue = new WaitQueue<string>();
    const run = new AbortController();
    const first = queue.wait(run.signal);
    const other = queue.wait();
    const second = queue.wait(run.signal);
    run.abort(new Error("run stopped"));
    await expect(first).rejects.toThrow("run stopped");
    await expect(second).rejects.toThrow("run stopped");
    expect(queue.length).toBe(1);
    queue.handOut("kept its turn");
    expect(await other).toBe("kept its turn");
    // The signal is followed again, afresh, by a later waiter.
    const again = new AbortController();
    const later = queue.wait(again.signal);
    again.abort(new Error("later"));
    await expect(later).rejects.toThrow("later");
    expect(queue.length).toBe(0);
  });
});

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
});

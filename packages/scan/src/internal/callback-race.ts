import type { AnalysisResult } from "@mdkit/cluster";
import { type Clock, clampDelay, systemClock } from "@mdkit/core";
import type { CallbackOutcome } from "../callback-receiver.js";
import { followSignal } from "./signal-fan.js";

/** What ended a phase of a callback wait early: the callback's outcome, or a poll's finished result. */
export type Woken = { outcome: CallbackOutcome } | { result: AnalysisResult };

/**
 * Runs `poll` until it returns, unless the callback's outcome (`woken`)
 * comes first: then the poll is stopped (its timers and request end) and
 * the outcome returned. The poll follows `signal` through one listener,
 * removed when the phase ends.
 */
export async function raceCallback(
  woken: Promise<Woken>,
  signal: AbortSignal,
  poll: (signal: AbortSignal) => Promise<AnalysisResult | undefined>,
): Promise<Woken | undefined> {
  const phase = followSignal(signal);
  const polled = poll(phase.signal).then((result) => (result ? { result } : undefined));
  try {
    return await Promise.race([polled, woken]);
  } finally {
    phase.stop();
    // The poll's own end (aborted, or a phase's time up) is nobody's error any more.
    polled.catch(() => {});
  }
}

/**
 * Waits `ms` on `clock` for the callback alone (no request): resolves with
 * its outcome when it comes first, with `undefined` once the time is up;
 * rejects with `signal`'s reason when it aborts. On the system clock this
 * is a bare timer and one listener on `signal`, both gone when it settles:
 * every scan with a callback goes through it, and a signal of its own (as a
 * polling phase has) would cost more than the rest of the wait.
 */
export function untilCallback(
  woken: Promise<Woken>,
  signal: AbortSignal,
  clock: Clock,
  ms: number,
): Promise<Woken | undefined> {
  if (clock !== systemClock) {
    return raceCallback(woken, signal, (s) => clock.sleep(ms, s).then(() => undefined));
  }
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const end = (value: Woken | undefined) => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      resolve(value);
    };
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(end, clampDelay(ms), undefined);
    signal.addEventListener("abort", onAbort, { once: true });
    woken.then(end);
  });
}

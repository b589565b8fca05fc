import { clampDelay } from "@mdkit/core";

export { MAX_TIMER_MS } from "@mdkit/core";

/**
 * Schedules `task` after `delayMs`, capped at 2^31 − 1 ms (longer delays
 * would fire at once) and unref'd so it never keeps a process alive.
 * Returns a cancel function.
 */
export function scheduleUnref(task: () => void, delayMs: number): () => void {
  const timer = setTimeout(task, clampDelay(delayMs));
  (timer as { unref?: () => void }).unref?.();
  return () => clearTimeout(timer);
}

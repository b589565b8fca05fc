/** The longest delay `setTimeout` accepts (2^31 − 1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Schedules `task` after `delayMs`, capped at {@link MAX_TIMER_MS} and
 * unref'd so it never keeps a process alive. Returns a cancel function.
 */
export function scheduleUnref(task: () => void, delayMs: number): () => void {
  const timer = setTimeout(task, Math.min(Math.max(0, delayMs), MAX_TIMER_MS));
  (timer as { unref?: () => void }).unref?.();
  return () => clearTimeout(timer);
}

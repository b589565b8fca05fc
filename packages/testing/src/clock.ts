/** A clock a test moves by hand: pass `now` as a component's clock option. */
export interface ManualClock {
  /** The current time, ms since the epoch. */
  now(): number;
  /** Moves the clock forward by `ms`. */
  advance(ms: number): void;
}

/** Creates a {@link ManualClock} starting at `start` (default 2026-01-01T00:00Z). */
export function manualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
}

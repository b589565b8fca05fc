/** The Redis keys `@mdkit/queue` keeps beside BullMQ's, all under the queue's own prefix. */
export interface QueueKeys {
  /** Hash: job id → the recorded result (JSON), written once. */
  results: string;
  /** Stream: one entry per recorded result, in the order they were recorded. */
  resultLog: string;
  /** Hash: verdict (or "error") → count. */
  tallies: string;
  /** Hash: fairness state (`vtime`, and `p:<producer>` → last tag given). */
  fairness: string;
  /** Hash: producer → files added. */
  producers: string;
}

/** Keys of the queue `name` under `prefix` (BullMQ's default prefix is `bull`). */
export function queueKeys(prefix: string, name: string): QueueKeys {
  const base = `${prefix}:${name}:mdkit`;
  return {
    results: `${base}:results`,
    resultLog: `${base}:result-log`,
    tallies: `${base}:tallies`,
    fairness: `${base}:fairness`,
    producers: `${base}:producers`,
  };
}

/** Keys of a shared gateway budget. */
export interface BudgetKeys {
  /** Hash: the AIMD state (`value`, `ceiling`, `lastDecreaseMs`, `version`). */
  state: string;
  /** Sorted set: slot holder → lease expiry (ms, Redis clock). */
  slots: string;
  /** Pub/sub channel: a slot was freed or the limit grew. */
  wake: string;
  /** String: the gateway's analysis time as the budget's processes learned it, ms. */
  scanMs: string;
}

/** Keys of the budget `name` (one per gateway) under `prefix`. */
export function budgetKeys(prefix: string, name: string): BudgetKeys {
  const base = `${prefix}:mdkit-budget:${name}`;
  return {
    state: `${base}:state`,
    slots: `${base}:slots`,
    wake: `${base}:wake`,
    scanMs: `${base}:scan-ms`,
  };
}

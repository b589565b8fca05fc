/** Settings of the token bucket that bounds a client's retries (as AWS SDK v3's standard retry mode). */
export interface RetryBudgetOptions {
  /** Tokens the bucket holds (and starts with). Default 500. */
  capacity?: number | undefined;
  /** Tokens a retry takes. Default 5. */
  retryCost?: number | undefined;
  /** Tokens a retry after a timeout takes. Default 10. */
  timeoutCost?: number | undefined;
  /** Tokens a call that succeeded at its first attempt puts back. Default 1. */
  successRefill?: number | undefined;
}

/**
 * How failed attempts are retried. Every field is optional; a per-call
 * `retry` option overrides the client's field by field (the budget is always
 * the client's).
 */
export interface RetryOptions {
  /** Retries after the first attempt. Default 4. */
  maxRetries?: number | undefined;
  /** Backoff before the first retry when the server named no delay, ms (doubling, jittered). Default 500. */
  initialDelayMs?: number | undefined;
  /** Largest backoff delay, ms. Default 20,000. */
  maxDelayMs?: number | undefined;
  /**
   * Longest `Retry-After` waited for, ms. A server asking for longer (days,
   * say) is not waited for: its answer is returned at once, its
   * `retryAfterMs` telling the caller when to come back. Default 60,000.
   */
  maxRetryAfterMs?: number | undefined;
  /**
   * Whether the request may be sent twice without harm. Default: by method
   * (GET, HEAD, OPTIONS, PUT, DELETE, TRACE) or by the client's list of
   * read-only operations. A request that is not is retried only when the
   * server refused it (429, 503) or it never left (connection refused).
   */
  idempotent?: boolean | undefined;
  /** The client's retry budget; `false` for none. Client-level only. Default: see {@link RetryBudgetOptions}. */
  budget?: RetryBudgetOptions | false | undefined;
  /** Source of jitter in [0, 1). Default `Math.random`. */
  random?: (() => number) | undefined;
}

/** {@link RetryOptions} with every default applied. */
export interface ResolvedRetryOptions {
  maxRetries: number;
  initialDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  idempotent: boolean | undefined;
  random: () => number;
}

/** The defaults of {@link RetryOptions}. */
export const RETRY_DEFAULTS: Readonly<Omit<ResolvedRetryOptions, "idempotent">> = Object.freeze({
  maxRetries: 4,
  initialDelayMs: 500,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 60_000,
  random: Math.random,
});

/**
 * Applies the defaults, and a per-call override on top of the client's options.
 *
 * @example
 * ```ts
 * const options = resolveRetryOptions({ maxRetries: 2 }, { maxRetries: 0 });
 * options.maxRetries; // 0: the call's override wins
 * options.initialDelayMs; // 500: the default
 * options.maxRetryAfterMs; // 60000
 * ```
 */
export function resolveRetryOptions(
  client: RetryOptions | undefined,
  call?: RetryOptions | undefined,
): ResolvedRetryOptions {
  const pick = <K extends keyof RetryOptions>(key: K) => call?.[key] ?? client?.[key];
  return {
    maxRetries: pick("maxRetries") ?? RETRY_DEFAULTS.maxRetries,
    initialDelayMs: pick("initialDelayMs") ?? RETRY_DEFAULTS.initialDelayMs,
    maxDelayMs: pick("maxDelayMs") ?? RETRY_DEFAULTS.maxDelayMs,
    maxRetryAfterMs: pick("maxRetryAfterMs") ?? RETRY_DEFAULTS.maxRetryAfterMs,
    idempotent: pick("idempotent"),
    random: pick("random") ?? RETRY_DEFAULTS.random,
  };
}

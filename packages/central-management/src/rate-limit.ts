import { type Clock, type RequestThrottle, systemClock, type ThrottleRelease } from "@mdkit/core";
import { RateWindow } from "./internal/rate-window.js";

/** Options of {@link createRateLimiter} (and the `rateLimit` option of the client). Durations in ms. */
export interface RateLimitOptions {
  /**
   * Requests per window to keep to before the server has announced its own
   * limit (`X-RateLimit-Limit`, which then wins). Central Management's
   * document states no limit, so by default requests are not paced until
   * a response carries the headers.
   */
  limit?: number | undefined;
  /**
   * Length of a window when the server does not say when its window ends
   * (no `X-RateLimit-Reset`). Default 60,000.
   */
  windowMs?: number | undefined;
  /**
   * Longest single wait for a window to end. A reset announced further away
   * is not believed: the request goes out after this long, and a 429 it may
   * get is the retry policy's (whose `maxRetryAfterMs` caps that wait).
   * Default 60,000.
   */
  maxWaitMs?: number | undefined;
  /** Time source of the waits. Default: the client's `clock` (the system clock). */
  clock?: Clock | undefined;
}

/** What a {@link RateLimiter} knows and has done. */
export interface RateLimiterSnapshot {
  /** Requests per window, as the server announced it (or the `limit` option). */
  limit: number | undefined;
  /** Requests the current window still allows (undefined: not paced). */
  remaining: number | undefined;
  /** When the current window ends, ms since the epoch, if known. */
  resetAtMs: number | undefined;
  /**
   * Waited beyond each window's end, ms: learnt from 429s showing that this
   * machine's clock runs ahead of the server's (at most 1,000).
   */
  marginMs: number;
  /** Requests sent and not answered yet. */
  inFlight: number;
  /** Times a request waited for a window to end. */
  waits: number;
  /** Total time requests waited, ms. */
  waitedMs: number;
}

/**
 * A client-side limiter for one Central Management OAuth client: pass it to
 * `createCentralManagementClient({ rateLimit })`, or to several clients using
 * the same credentials so that they share one budget.
 */
export interface RateLimiter extends RequestThrottle {
  /** The limiter's state, for logs and tests. */
  snapshot(): RateLimiterSnapshot;
}

/**
 * Operations that are not paced: the tunnel's answers are the product's
 * (its own limits and headers), not Central Management's.
 */
const UNPACED = new Set(["sendConnectionRequest"]);

/**
 * Creates a limiter that keeps a client within Central Management's rate
 * limit, so that a long export is not refused: it learns the limit, the
 * requests left and the window's end from every response's
 * `X-RateLimit-Limit` / `-Remaining` / `-Reset`, counts its own requests in
 * between (requests in flight included), and holds a request back until the
 * window ends when none is left. After a 429 it holds every request until
 * the window's reset or the `Retry-After`, whichever is later. Waits end
 * with the request's signal (the call's deadline). The state belongs to the
 * limiter: one per client unless shared on purpose.
 *
 * @example
 * ```ts
 * import { clientCredentialsFromEnv } from "@mdkit/auth";
 * import { createCentralManagementClient, createRateLimiter } from "@mdkit/central-management";
 *
 * // Two clients with the same credentials, one budget (say the tenant allows 100 a minute):
 * const rateLimit = createRateLimiter({ limit: 100, windowMs: 60_000 });
 * const auth = clientCredentialsFromEnv();
 * const reports = createCentralManagementClient({ auth, rateLimit });
 * const inventory = createCentralManagementClient({ auth, rateLimit });
 * ```
 */
export function createRateLimiter(options: RateLimitOptions = {}): RateLimiter {
  const clock = options.clock ?? systemClock;
  const window = new RateWindow({
    limit: options.limit,
    windowMs: options.windowMs ?? 60_000,
    maxWaitMs: options.maxWaitMs ?? 60_000,
  });
  let inFlight = 0;
  let waits = 0;
  let waitedMs = 0;
  // Aborted (and replaced) whenever a response changes what is known, to wake the waiters.
  let changed = new AbortController();

  async function pause(ms: number, signal: AbortSignal): Promise<void> {
    const started = clock.now();
    waits++;
    try {
      await clock.sleep(ms, AbortSignal.any([signal, changed.signal]));
    } catch (error) {
      if (signal.aborted) throw signal.reason ?? error;
      // Woken by news: ask again.
    } finally {
      waitedMs += clock.now() - started;
    }
  }

  return {
    async acquire(operation: string | undefined, signal: AbortSignal): Promise<ThrottleRelease> {
      if (operation !== undefined && UNPACED.has(operation)) return () => {};
      for (;;) {
        signal.throwIfAborted();
        const wait = window.take(clock.now());
        if (wait === 0) break;
        await pause(wait, signal);
      }
      inFlight++;
      let released = false;
      return (response) => {
        if (released) return;
        released = true;
        inFlight--;
        if (!response) return;
        window.observe(response, clock.now(), inFlight);
        changed.abort();
        changed = new AbortController();
      };
    },
    snapshot: () => ({ ...window.snapshot(), inFlight, waits, waitedMs }),
  };
}

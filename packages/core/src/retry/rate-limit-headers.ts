/** What a response says about the client's rate limit. */
export interface RateLimitHeaders {
  /** Requests allowed per window (`X-RateLimit-Limit`). */
  limit: number | undefined;
  /** Requests left in the current window (`X-RateLimit-Remaining`). */
  remaining: number | undefined;
  /** When the current window ends, ms since the epoch (`X-RateLimit-Reset`). */
  resetAtMs: number | undefined;
}

/** Below this, a reset value is seconds from now rather than a Unix time (10^9 s is 2001-09-09). */
const EPOCH_SECONDS_FROM = 1e9;

/** The leading non-negative number of a header (`100` of `100, 100;w=60`); undefined otherwise. */
function leadingNumber(value: string | null): number | undefined {
  const match = value === null ? null : /^\s*(\d+(?:\.\d+)?)/.exec(value);
  if (!match) return undefined;
  const n = Number(match[1]);
  return Number.isFinite(n) ? n : undefined;
}

function header(headers: Headers, name: string): string | null {
  return headers.get(`x-ratelimit-${name}`) ?? headers.get(`ratelimit-${name}`);
}

/**
 * Reads the rate-limit headers of a response: `X-RateLimit-Limit`,
 * `X-RateLimit-Remaining` and `X-RateLimit-Reset` (or the unprefixed
 * `RateLimit-*` of the IETF draft). The reset is read as Unix epoch
 * seconds, as Central Management's spec describes it, or — when the value
 * is too small to be one (under 10^9) — as seconds from `now`, the draft's
 * form. A value that is not a non-negative number is ignored.
 *
 * @example
 * ```ts
 * const { remaining, resetAtMs } = readRateLimitHeaders(response.headers, Date.now());
 * ```
 */
export function readRateLimitHeaders(headers: Headers, now: number): RateLimitHeaders {
  const limit = leadingNumber(header(headers, "limit"));
  const remaining = leadingNumber(header(headers, "remaining"));
  const reset = leadingNumber(header(headers, "reset"));
  return {
    limit: limit === undefined ? undefined : Math.floor(limit),
    remaining: remaining === undefined ? undefined : Math.floor(remaining),
    resetAtMs:
      reset === undefined
        ? undefined
        : reset >= EPOCH_SECONDS_FROM
          ? Math.round(reset * 1000)
          : now + Math.round(reset * 1000),
  };
}

/**
 * How long until the rate-limit window of a response ends, ms
 * (`X-RateLimit-Reset` − `now`); undefined without the header or when that
 * time has already passed (a skewed clock: the reset says nothing then).
 *
 * @example
 * ```ts
 * const headers = new Headers({ "X-RateLimit-Reset": "1790000030" }); // seconds since the epoch
 * rateLimitResetDelay(headers, 1_790_000_000_000); // 30000
 * rateLimitResetDelay(new Headers(), Date.now()); // undefined
 * ```
 */
export function rateLimitResetDelay(headers: Headers, now: number): number | undefined {
  const { resetAtMs } = readRateLimitHeaders(headers, now);
  return resetAtMs !== undefined && resetAtMs > now ? resetAtMs - now : undefined;
}

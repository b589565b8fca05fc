import type { RateLimitOptions } from "../options.js";
import type { SimulatorState } from "../state.js";
import { CmHttpError } from "./errors.js";

/** The state of a client's rate-limit window after one request was counted. */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** When the window ends, ms since the epoch. */
  resetAtMs: number;
}

/**
 * Fixed-window rate limiting per OAuth client: windows are aligned to
 * multiples of `windowMs` on the simulator's clock, so a test with an
 * injected clock knows exactly when a window ends.
 */
export class RateLimiter {
  /** Per client: the current window's start, requests allowed in it, and requests that arrived. */
  private readonly windows = new Map<string, { start: number; count: number; arrived: number }>();

  constructor(
    private readonly options: RateLimitOptions | false,
    private readonly now: () => number,
    /** Where the peak of requests per window is recorded. */
    private readonly state?: SimulatorState,
  ) {}

  /** Counts one request of `clientId`; undefined when rate limiting is off. */
  take(clientId: string): RateDecision | undefined {
    if (!this.options) return undefined;
    const { limit, windowMs } = this.options;
    const now = this.now();
    const start = Math.floor(now / windowMs) * windowMs;
    let window = this.windows.get(clientId);
    if (!window || window.start !== start) {
      window = { start, count: 0, arrived: 0 };
      this.windows.set(clientId, window);
    }
    window.arrived++;
    if (this.state) {
      this.state.peakRequestsPerRateWindow = Math.max(
        this.state.peakRequestsPerRateWindow,
        window.arrived,
      );
    }
    const allowed = window.count < limit;
    if (allowed) window.count++;
    return { allowed, limit, remaining: limit - window.count, resetAtMs: start + windowMs };
  }

  /** The 429 answer for a refused request. */
  tooManyRequests(decision: RateDecision): CmHttpError {
    const seconds = Math.max(1, Math.ceil((decision.resetAtMs - this.now()) / 1000));
    return new CmHttpError(
      429,
      "too_many_requests",
      `Rate limit exceeded. Retry after ${seconds} seconds.`,
      { "Retry-After": String(seconds) },
    );
  }
}

/** Adds the `X-RateLimit-*` headers of a decision to a response. */
export function withRateLimitHeaders(response: Response, decision: RateDecision): Response {
  const out = new Response(response.body, response);
  out.headers.set("X-RateLimit-Limit", String(decision.limit));
  out.headers.set("X-RateLimit-Remaining", String(decision.remaining));
  out.headers.set("X-RateLimit-Reset", String(Math.ceil(decision.resetAtMs / 1000)));
  return out;
}

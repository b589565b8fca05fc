import type { ManualClock } from "@mdkit/testing";

/** Options of {@link rateLimitedServer}. */
export interface RateLimitedServerOptions {
  /** Requests allowed per fixed window. */
  limit: number;
  /** Window length, ms (windows aligned on multiples of it, on the server's clock). */
  windowMs: number;
  /** The server's clock minus the client's, ms (negative: the server lags). Default 0. */
  offsetMs?: number;
  /** Send the `X-RateLimit-*` headers. Default true. */
  headers?: boolean;
  /** Requests of someone else with the same credentials, counted with each of ours. Default 0. */
  othersPerRequest?: number;
  /** Delay before each answer, ms on the clock. Default 0. */
  latencyMs?: number;
  /** The body of an accepted request. Default `[]`. */
  answer?: (request: Request) => Response;
}

/**
 * A scripted Central Management with a fixed-window rate limit per client,
 * on a manual clock: answers 429 with `Retry-After` beyond the limit, and
 * logs when each request arrived and how it was answered.
 */
export function rateLimitedServer(clock: ManualClock, options: RateLimitedServerOptions) {
  const log: Array<{ at: number; status: number; path: string }> = [];
  let windowStart = Number.NEGATIVE_INFINITY;
  let count = 0;
  const fetch = async (request: Request): Promise<Response> => {
    if (options.latencyMs) await clock.sleep(options.latencyMs);
    const now = clock.now() + (options.offsetMs ?? 0);
    const start = Math.floor(now / options.windowMs) * options.windowMs;
    if (start !== windowStart) {
      windowStart = start;
      count = 0;
    }
    const end = start + options.windowMs;
    const path = new URL(request.url).pathname;
    const allowed = count < options.limit;
    if (allowed) count = Math.min(options.limit, count + 1 + (options.othersPerRequest ?? 0));
    const headers: Record<string, string> =
      options.headers === false
        ? {}
        : {
            "x-ratelimit-limit": String(options.limit),
            "x-ratelimit-remaining": String(options.limit - count),
            "x-ratelimit-reset": String(Math.ceil(end / 1000)),
          };
    log.push({ at: now, status: allowed ? 200 : 429, path });
    if (!allowed) {
      headers["retry-after"] = String(Math.max(1, Math.ceil((end - now) / 1000)));
      return Response.json({ error: "too_many_requests" }, { status: 429, headers });
    }
    const response = options.answer?.(request) ?? Response.json([]);
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    return response;
  };
  /** The most requests that arrived in one window (refused ones included). */
  const peakPerWindow = () => {
    const counts = new Map<number, number>();
    for (const { at } of log) {
      const w = Math.floor(at / options.windowMs);
      counts.set(w, (counts.get(w) ?? 0) + 1);
    }
    return Math.max(0, ...counts.values());
  };
  const refused = () => log.filter((l) => l.status === 429).length;
  return { fetch, log, peakPerWindow, refused };
}

import { isHttpError, NetworkError, parseRetryAfter } from "../errors.js";
import { backoffDelay } from "../timing/backoff.js";
import { isDeadlineExceeded, RequestTimeoutError } from "../transport-errors.js";
import { RETRY_DEFAULTS, type ResolvedRetryOptions, type RetryOptions } from "./options.js";
import { rateLimitResetDelay } from "./rate-limit-headers.js";

/** What one attempt produced: a response (any status), or an error instead of one. */
export type AttemptOutcome = { response: Response } | { error: unknown };

/** What the decision needs to know about the request besides its outcome. */
export interface RetryFacts {
  /** Retries already made for this call (0 after the first attempt). */
  retries: number;
  /** HTTP method, upper-case. */
  method: string;
  /** Whether the body can be sent again (false for a one-shot stream). Default true. */
  replayable?: boolean | undefined;
  /** Now, ms since the epoch (to read a `Retry-After` date). Default `Date.now()`. */
  now?: number | undefined;
}

/** Why a retry is worth it; `timeout` retries cost a client's budget more. */
export type RetryReason = "throttled" | "unavailable" | "bad-gateway" | "network" | "timeout";

/** The verdict of {@link decideRetry}. */
export type RetryDecision =
  | { retry: true; delayMs: number; reason: RetryReason }
  | { retry: false; why: string };

/** Methods that may be sent twice without harm (RFC 9110). */
const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"]);

/** Error codes meaning the connection was never made, so nothing was sent. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * Whether a failed request certainly never reached the server (its connection was never made).
 *
 * @example
 * ```ts
 * const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8008"), {
 *   code: "ECONNREFUSED",
 * });
 * neverSent(new TypeError("fetch failed", { cause: refused })); // true: safe to send again
 * neverSent(new Error("socket hang up")); // false: the server may have received it
 * ```
 */
export function neverSent(error: unknown): boolean {
  if (error instanceof RequestTimeoutError) return error.phase === "connect";
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && NOT_SENT_CODES.has(code)) return true;
    current = current.cause;
  }
  return false;
}

function isAbort(error: unknown): boolean {
  if (isDeadlineExceeded(error)) return true;
  if (error instanceof RequestTimeoutError && error.phase === "deadline") return true;
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}

/**
 * Decides whether one failed attempt is worth another, and after how long.
 * Pure: the same outcome and facts give the same answer (jitter aside), and
 * nothing waits here — the loop that calls it does the waiting, bounded by
 * its deadline and budget.
 *
 * - 429 and 503 mean "refused, nothing done": retried for every method,
 *   after the server's `Retry-After` (seconds or an HTTP date) — for a 429
 *   without one, until its `X-RateLimit-Reset` — or a jittered exponential
 *   backoff. A delay asked for that is longer than `maxRetryAfterMs` is not
 *   waited for at all: the answer goes back to the caller at once.
 * - 502 and 504, network failures and per-request timeouts may come after
 *   the server acted: retried only when the request is idempotent, or (for
 *   network failures) when it certainly never left.
 * - Aborts, deadlines, one-shot bodies and every other status: give up.
 *
 * Higher layers that handle a status themselves (scan's uploads) pass
 * `retry: false` per call and call this function with the error they caught.
 *
 * @example
 * ```ts
 * const decision = decideRetry({ error }, { retries: busy, method: "POST" });
 * if (decision.retry && deadline.allows(decision.delayMs)) await sleep(decision.delayMs, signal);
 * ```
 */
export function decideRetry(
  outcome: AttemptOutcome,
  facts: RetryFacts,
  options: RetryOptions | ResolvedRetryOptions = {},
): RetryDecision {
  const maxRetries = options.maxRetries ?? RETRY_DEFAULTS.maxRetries;
  if (facts.retries >= maxRetries) return { retry: false, why: `${maxRetries} retries made` };
  if (facts.replayable === false) return { retry: false, why: "the body cannot be sent again" };
  const idempotent = options.idempotent ?? IDEMPOTENT_METHODS.has(facts.method.toUpperCase());
  const backoff = () =>
    backoffDelay(
      facts.retries,
      {
        initialMs: options.initialDelayMs ?? RETRY_DEFAULTS.initialDelayMs,
        maxMs: options.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs,
      },
      options.random ?? RETRY_DEFAULTS.random,
    );

  const response = responseOf(outcome);
  if (response) {
    const { status } = response;
    const refused = status === 429 || status === 503;
    const gateway = status === 502 || status === 504;
    if (gateway && !idempotent) {
      return { retry: false, why: `HTTP ${status}: the server may have acted on the request` };
    }
    if (!refused && !gateway) return { retry: false, why: `HTTP ${status} is not retried` };
    const now = facts.now ?? Date.now();
    // A 429 without `Retry-After` may still say when its window ends.
    const asked =
      parseRetryAfter(response.headers.get("retry-after"), now) ??
      (status === 429 ? rateLimitResetDelay(response.headers, now) : undefined);
    const cap = options.maxRetryAfterMs ?? RETRY_DEFAULTS.maxRetryAfterMs;
    if (asked !== undefined && asked > cap) {
      // Waiting less than asked would be refused again; waiting days helps no one.
      return { retry: false, why: `the server asked to wait ${asked} ms, over maxRetryAfterMs` };
    }
    const delayMs = asked ?? backoff();
    const reason = status === 429 ? "throttled" : status === 503 ? "unavailable" : "bad-gateway";
    return { retry: true, delayMs, reason };
  }

  const { error } = outcome as { error: unknown };
  if (isAbort(error)) return { retry: false, why: "aborted" };
  if (!(error instanceof NetworkError)) return { retry: false, why: "not a transient failure" };
  if (!idempotent && !neverSent(error)) {
    return { retry: false, why: "the server may have acted on the request" };
  }
  return {
    retry: true,
    delayMs: backoff(),
    reason: error instanceof RequestTimeoutError ? "timeout" : "network",
  };
}

/** The response of an outcome, also when it is an HTTP error carrying its response. */
function responseOf(outcome: AttemptOutcome): { status: number; headers: Headers } | undefined {
  if ("response" in outcome) return outcome.response;
  const { error } = outcome;
  if (isHttpError(error) && error.status !== 0 && error.response) return error.response;
  return undefined;
}

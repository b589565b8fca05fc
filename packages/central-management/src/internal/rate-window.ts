import { parseRetryAfter, readRateLimitHeaders } from "@mdkit/core";

/** Settings of a {@link RateWindow}, ms. */
export interface RateWindowSettings {
  /** Requests per window before the server says its own. Undefined: not paced until it does. */
  limit: number | undefined;
  /** Window length assumed when the server does not say when its window ends. */
  windowMs: number;
  /** Longest wait for a window to end; a later end is not believed. */
  maxWaitMs: number;
}

/** Largest margin added after a window's end for a clock running ahead of the server's. */
const MAX_MARGIN_MS = 1_000;

/**
 * Whether two window ends are the same window's: the header has a
 * resolution of one second (and its relative form moves with the clock).
 */
const sameWindow = (a: number, b: number) => Math.abs(a - b) < 1_000;

/**
 * The client's view of the server's rate-limit window, with no waiting in
 * it: {@link take} counts a request or says how long to wait, {@link observe}
 * learns from each response's `X-RateLimit-*` headers (the server's count
 * wins over the local one, in the conservative direction), and a 429 closes
 * the window until its reset or `Retry-After`.
 */
export class RateWindow {
  #limit: number | undefined;
  /** Requests the window still allows; undefined: no limit known, not paced. */
  #remaining: number | undefined;
  /** When the current window ends (ms since the epoch); undefined: not known. */
  #endsAt: number | undefined;
  /** The end of the window last left behind, to recognise a 429 that says it had not ended. */
  #lastEnded: number | undefined;
  /** Waited beyond each window's end, learnt from such 429s (a clock ahead of the server's). */
  #marginMs = 0;
  readonly #settings: RateWindowSettings;

  constructor(settings: RateWindowSettings) {
    this.#settings = settings;
    this.#limit = settings.limit;
    this.#remaining = settings.limit;
  }

  /** Counts one request when the window has room (0); otherwise the ms to wait before asking again. */
  take(now: number): number {
    this.#roll(now);
    if (this.#remaining === undefined) return 0;
    if (this.#remaining > 0) {
      this.#remaining--;
      return 0;
    }
    this.#endsAt ??= now + this.#settings.windowMs;
    const wait = this.#endsAt + this.#marginMs - now;
    if (wait > this.#settings.maxWaitMs) {
      // A reset that far away is not believed: try again after the longest wait.
      this.#endsAt = now + this.#settings.maxWaitMs - this.#marginMs;
      return this.#settings.maxWaitMs;
    }
    return Math.max(1, wait);
  }

  /**
   * Learns from one response. `othersInFlight`: requests sent and not yet
   * answered, which the server may not have counted yet — subtracted from
   * its `remaining`, so the estimate errs on the side of waiting.
   */
  observe(response: { status: number; headers: Headers }, now: number, othersInFlight: number) {
    const { limit, remaining, resetAtMs } = readRateLimitHeaders(response.headers, now);
    if (limit !== undefined) this.#limit = limit;
    if (remaining !== undefined) {
      const left = Math.max(0, remaining - othersInFlight);
      const known = this.#endsAt;
      if (known !== undefined && (resetAtMs === undefined || sameWindow(resetAtMs, known))) {
        this.#remaining = Math.min(this.#remaining ?? left, left);
      } else if (known === undefined || (resetAtMs as number) > known) {
        this.#endsAt = resetAtMs ?? now + this.#settings.windowMs;
        this.#remaining = left;
      }
      // Otherwise: the answer of a window already over.
    }
    if (response.status === 429) this.#refused(response.headers, resetAtMs, now);
  }

  /** What the window looks like now. */
  snapshot() {
    return {
      limit: this.#limit,
      remaining: this.#remaining,
      resetAtMs: this.#endsAt,
      marginMs: this.#marginMs,
    };
  }

  /** A new window once the known one has ended: the full limit again. */
  #roll(now: number) {
    if (this.#endsAt !== undefined && now >= this.#endsAt + this.#marginMs) {
      this.#lastEnded = this.#endsAt;
      this.#endsAt = undefined;
      this.#remaining = this.#limit;
    }
  }

  /** A 429: nothing more until the window's reset, or the `Retry-After`, whichever is later. */
  #refused(headers: Headers, resetAtMs: number | undefined, now: number) {
    if (resetAtMs !== undefined && this.#lastEnded !== undefined && resetAtMs <= this.#lastEnded) {
      // The server's window had not ended when ours had: our clock runs ahead.
      this.#marginMs = Math.min(MAX_MARGIN_MS, Math.max(50, this.#marginMs * 2));
    }
    const retryAfterMs = parseRetryAfter(headers.get("retry-after"), now);
    const until = Math.max(
      resetAtMs ?? Number.NEGATIVE_INFINITY,
      retryAfterMs === undefined ? Number.NEGATIVE_INFINITY : now + retryAfterMs,
    );
    if (!Number.isFinite(until)) return;
    this.#remaining = 0;
    this.#endsAt = Math.max(this.#endsAt ?? until, until);
  }
}

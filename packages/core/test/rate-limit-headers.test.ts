/** The rate-limit headers, and what the retry policy makes of a 429 that names only its reset. */
import { describe, expect, it } from "vitest";
import {
  createHttpError,
  decideRetry,
  RateLimitError,
  rateLimitResetDelay,
  readRateLimitHeaders,
} from "../src/index.js";

const now = Date.UTC(2026, 0, 1, 12, 0, 0);
const headers = (values: Record<string, string>) => new Headers(values);
const tooMany = (values: Record<string, string>) =>
  new Response(null, { status: 429, headers: values });
const get = { retries: 0, method: "GET", now };

describe("readRateLimitHeaders", () => {
  it("reads limit, remaining and a reset in Unix epoch seconds", () => {
    const reset = String((now + 30_000) / 1000);
    expect(
      readRateLimitHeaders(
        headers({
          "X-RateLimit-Limit": "100",
          "X-RateLimit-Remaining": "7",
          "X-RateLimit-Reset": reset,
        }),
        now,
      ),
    ).toEqual({ limit: 100, remaining: 7, resetAtMs: now + 30_000 });
  });

  it("reads a small reset as seconds from now, and the IETF draft's unprefixed names", () => {
    expect(
      readRateLimitHeaders(
        headers({
          "RateLimit-Limit": "100, 100;w=60",
          "RateLimit-Remaining": "0",
          "RateLimit-Reset": "12",
        }),
        now,
      ),
    ).toEqual({ limit: 100, remaining: 0, resetAtMs: now + 12_000 });
  });

  it("ignores what is not a non-negative number", () => {
    expect(
      readRateLimitHeaders(
        headers({
          "X-RateLimit-Limit": "lots",
          "X-RateLimit-Remaining": "-3",
          "X-RateLimit-Reset": "",
        }),
        now,
      ),
    ).toEqual({ limit: undefined, remaining: undefined, resetAtMs: undefined });
  });

  it("gives no reset delay for a reset already past", () => {
    expect(rateLimitResetDelay(headers({ "X-RateLimit-Reset": String(now / 1000 - 5) }), now)).toBe(
      undefined,
    );
    expect(rateLimitResetDelay(headers({ "X-RateLimit-Reset": "3" }), now)).toBe(3_000);
  });
});

describe("a 429 without Retry-After", () => {
  const reset = (ms: number) => ({ "x-ratelimit-reset": String((now + ms) / 1000) });

  it("is retried once its window resets", () => {
    expect(decideRetry({ response: tooMany(reset(4_000)) }, get)).toEqual({
      retry: true,
      delayMs: 4_000,
      reason: "throttled",
    });
  });

  it("is given up on at once when the reset is further away than maxRetryAfterMs", () => {
    expect(decideRetry({ response: tooMany(reset(3_600_000)) }, get)).toMatchObject({
      retry: false,
    });
    expect(
      decideRetry({ response: tooMany(reset(4_000)) }, get, { maxRetryAfterMs: 1_000 }),
    ).toMatchObject({ retry: false });
  });

  it("prefers Retry-After when both are given", () => {
    const response = tooMany({ ...reset(40_000), "retry-after": "2" });
    expect(decideRetry({ response }, get)).toMatchObject({ retry: true, delayMs: 2_000 });
  });

  it("carries the delay to its reset as the RateLimitError's retryAfterMs", () => {
    const at = Date.now() + 90_000;
    const error = createHttpError({
      status: 429,
      request: { method: "GET", url: "https://api.example.test/x" },
      response: tooMany({ "x-ratelimit-reset": String(Math.ceil(at / 1000)) }),
    });
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(85_000);
    expect((error as RateLimitError).retryAfterMs).toBeLessThanOrEqual(91_000);
  });
});

/** The retry decision alone: outcomes and request facts in, a delay or "give up" out. */
import { describe, expect, it } from "vitest";
import {
  createHttpError,
  decideRetry,
  type NetworkError,
  RequestTimeoutError,
  ServiceUnavailableError,
} from "../src/index.js";

const response = (status: number, headers: Record<string, string> = {}) =>
  new Response(null, { status, headers });
const noJitter = { random: () => 0 };
const get = { retries: 0, method: "GET" };
const post = { retries: 0, method: "POST" };
const request = { method: "GET", url: "https://api.example.test/x" };
const networkError = (cause: unknown) =>
  createHttpError({ status: 0, request, cause }) as NetworkError;

describe("decideRetry", () => {
  it("retries 429 and 503 for every method, after Retry-After in seconds", () => {
    for (const status of [429, 503]) {
      for (const facts of [get, post]) {
        expect(decideRetry({ response: response(status, { "retry-after": "2" }) }, facts)).toEqual({
          retry: true,
          delayMs: 2_000,
          reason: status === 429 ? "throttled" : "unavailable",
        });
      }
    }
  });

  it("reads Retry-After as an HTTP date", () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    const date = new Date(now + 7_000).toUTCString();
    const decision = decideRetry(
      { response: response(503, { "retry-after": date }) },
      {
        ...get,
        now,
      },
    );
    expect(decision).toMatchObject({ retry: true, delayMs: 7_000 });
  });

  it("never waits a Retry-After over maxRetryAfterMs (a billion seconds is given up on at once)", () => {
    const huge = { response: response(503, { "retry-after": "1000000000" }) };
    expect(decideRetry(huge, get)).toMatchObject({ retry: false });
    const minute = { response: response(429, { "retry-after": "60" }) };
    expect(decideRetry(minute, get)).toMatchObject({ retry: true, delayMs: 60_000 });
    expect(decideRetry(minute, get, { maxRetryAfterMs: 5_000 })).toMatchObject({ retry: false });
  });

  it("backs off exponentially with jitter when the server names no delay, capped", () => {
    const busy = { response: response(503) };
    const delays = [0, 1, 2, 3, 10].map((retries) => {
      const d = decideRetry(
        busy,
        { retries: retries, method: "GET" },
        { ...noJitter, maxRetries: 20 },
      );
      return d.retry ? d.delayMs : -1;
    });
    expect(delays).toEqual([250, 500, 1_000, 2_000, 10_000]);
  });

  it("gives up after maxRetries", () => {
    expect(decideRetry({ response: response(503) }, { retries: 4, method: "GET" })).toMatchObject({
      retry: false,
    });
    expect(
      decideRetry({ response: response(503) }, { retries: 4, method: "GET" }, { maxRetries: 5 }),
    ).toMatchObject({ retry: true });
  });

  it("retries 502 and 504 only for idempotent requests", () => {
    for (const status of [502, 504]) {
      expect(decideRetry({ response: response(status) }, get)).toMatchObject({ retry: true });
      expect(decideRetry({ response: response(status) }, post)).toMatchObject({ retry: false });
      expect(decideRetry({ response: response(status) }, post, { idempotent: true })).toMatchObject(
        { retry: true, reason: "bad-gateway" },
      );
    }
  });

  it("never retries other statuses", () => {
    for (const status of [200, 400, 401, 404, 409, 500, 501]) {
      expect(decideRetry({ response: response(status) }, get)).toMatchObject({ retry: false });
    }
  });

  it("never re-sends a one-shot body", () => {
    expect(decideRetry({ response: response(503) }, { ...post, replayable: false })).toMatchObject({
      retry: false,
      why: "the body cannot be sent again",
    });
  });

  it("retries a network failure of a GET, but of a POST only when it never left", () => {
    const reset = networkError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
    const refused = networkError(
      new TypeError("fetch failed", {
        cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
      }),
    );
    expect(decideRetry({ error: reset }, get)).toMatchObject({ retry: true, reason: "network" });
    expect(decideRetry({ error: reset }, post)).toMatchObject({ retry: false });
    expect(decideRetry({ error: refused }, post)).toMatchObject({ retry: true });
  });

  it("treats timeouts by phase: connect is safe everywhere, headers only when idempotent", () => {
    const timeout = (phase: "connect" | "headers" | "deadline") =>
      new RequestTimeoutError({ status: 0, request, phase, timeoutMs: 1_000 });
    expect(decideRetry({ error: timeout("connect") }, post)).toMatchObject({
      retry: true,
      reason: "timeout",
    });
    expect(decideRetry({ error: timeout("headers") }, post)).toMatchObject({ retry: false });
    expect(decideRetry({ error: timeout("headers") }, get)).toMatchObject({ retry: true });
    expect(decideRetry({ error: timeout("deadline") }, get)).toMatchObject({ retry: false });
  });

  it("never retries aborts or errors that are not transport failures", () => {
    const abort = new DOMException("aborted", "AbortError");
    expect(decideRetry({ error: abort }, get)).toMatchObject({ retry: false });
    expect(decideRetry({ error: new TypeError("bug") }, get)).toMatchObject({ retry: false });
  });

  it("reads the status and Retry-After of a thrown HTTP error (for layers that retry themselves)", () => {
    const error = createHttpError({
      status: 503,
      request,
      response: response(503, { "retry-after": "3" }),
    });
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(decideRetry({ error }, post)).toEqual({
      retry: true,
      delayMs: 3_000,
      reason: "unavailable",
    });
  });
});

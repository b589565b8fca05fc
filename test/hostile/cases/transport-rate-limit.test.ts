/**
 * A Central Management that lies with its rate-limit headers: a window that
 * ends in the year 2100, a negative or absurd reset, `Retry-After: 999999`,
 * a limit of zero or of 10^30, 429 forever. The client's limiter and the
 * retry policy wait a bounded time, end by the call's deadline, and never
 * spin: the number of requests stays small.
 */
import { createCentralManagementClient, RateLimitError } from "@mdkit/central-management";
import {
  CANARIES,
  type HostileHandler,
  type HostileServer,
  hostileCase,
  sendJson,
  startHostileServer,
} from "@mdkit/testing/hostile";
import { describe, expect, it } from "vitest";
import { closedAfterEach } from "../server-pool.js";

const closed = closedAfterEach();

/** A list operation answering every request with `status` and these headers. */
const answering =
  (status: number, headers: () => Record<string, string>): HostileHandler =>
  (_request, response) =>
    sendJson(response, status, status === 200 ? [] : { error: "too_many_requests" }, headers());

const inSeconds = (ms: number) => String(Math.ceil((Date.now() + ms) / 1000));

/** Calls `listKioskDevices` `calls` times in turn with a deadline of `timeoutMs` each; the first error ends it. */
async function callsAgainst(server: HostileServer, calls: number, timeoutMs: number) {
  const cm = createCentralManagementClient({
    baseUrl: server.url,
    auth: () => ({ authorization: `Bearer ${CANARIES.accessToken}` }),
  });
  for (let i = 0; i < calls; i++) {
    const { error, response } = await cm
      .GET("/o/pmp/v1/kiosk/devices", { timeoutMs })
      .catch((thrown: unknown) => ({ error: thrown, response: undefined }));
    if (error !== undefined) return { error, status: response?.status };
  }
  return { error: undefined, status: 200 };
}

/** The attacks on the limiter: each call must end by its deadline, with few requests sent. */
const attacks: Array<{
  name: string;
  handler: HostileHandler;
  timeoutMs: number;
  /** At most this many requests for the three calls. */
  maxRequests: number;
}> = [
  {
    name: "X-RateLimit-Remaining: 0 with a reset in the year 2100",
    handler: answering(200, () => ({
      "x-ratelimit-limit": "100",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": "4102444800",
    })),
    timeoutMs: 2_000,
    maxRequests: 1,
  },
  {
    name: "X-RateLimit-Remaining: 0 with a negative reset",
    handler: answering(200, () => ({
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": "-5",
    })),
    timeoutMs: 2_000,
    maxRequests: 1,
  },
  {
    name: "X-RateLimit-Limit: 0 with a reset in one second",
    handler: answering(200, () => ({
      "x-ratelimit-limit": "0",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": inSeconds(1_000),
    })),
    timeoutMs: 3_000,
    maxRequests: 2,
  },
  {
    name: "a reset of 10^35 seconds and a remaining of 10^30",
    handler: answering(200, () => ({
      "x-ratelimit-limit": "1000000000000000000000000000000",
      "x-ratelimit-remaining": "1000000000000000000000000000000",
      "x-ratelimit-reset": "100000000000000000000000000000000000",
    })),
    timeoutMs: 2_000,
    maxRequests: 3,
  },
  {
    name: "429 forever, with a reset already past and no Retry-After",
    handler: answering(429, () => ({
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": "1700000000",
    })),
    timeoutMs: 4_000,
    maxRequests: 5,
  },
];

describe("a Central Management lying with its rate-limit headers", () => {
  for (const attack of attacks) {
    it(`${attack.name}: each call ends by its deadline, no tight loop`, {
      timeout: 60_000,
    }, async () => {
      await hostileCase(
        `transport: rate limit, ${attack.name} (library)`,
        { deadlineMs: 3 * attack.timeoutMs },
        async (probe) => {
          const server = closed(await startHostileServer(attack.handler));
          const started = performance.now();
          const { error } = await callsAgainst(server, 3, attack.timeoutMs);
          const elapsed = performance.now() - started;
          if (error !== undefined) probe.error("call", error);
          expect(server.requests.length).toBeGreaterThanOrEqual(1);
          expect(server.requests.length).toBeLessThanOrEqual(attack.maxRequests);
          expect(elapsed).toBeLessThan(3 * attack.timeoutMs + 1_000);
        },
      );
    });
  }

  it("Retry-After: 999999 is not waited for: a RateLimitError at once, one request", {
    timeout: 30_000,
  }, async () => {
    await hostileCase(
      "transport: rate limit, Retry-After: 999999 (library)",
      { deadlineMs: 10_000 },
      async (probe) => {
        const server = closed(
          await startHostileServer(answering(429, () => ({ "retry-after": "999999" }))),
        );
        const started = performance.now();
        const cm = createCentralManagementClient({
          baseUrl: server.url,
          auth: () => ({ authorization: `Bearer ${CANARIES.accessToken}` }),
        });
        const result = await cm.GET("/o/pmp/v1/kiosk/devices", { timeoutMs: 10_000 });
        probe.output("status", String(result.response.status));
        expect(result.response.status).toBe(429);
        expect(server.requests).toHaveLength(1);
        expect(performance.now() - started).toBeLessThan(2_000);
        // The next call is held back at most the limiter's longest wait, here cut by its deadline.
        const next = performance.now();
        const error = await cm
          .GET("/o/pmp/v1/kiosk/devices", { timeoutMs: 1_500 })
          .catch((e: unknown) => e);
        probe.error("second call", error);
        expect(performance.now() - next).toBeLessThan(2_500);
        expect(server.requests.length).toBeLessThanOrEqual(2);
        expect(error).not.toBeInstanceOf(RateLimitError);
      },
    );
  });
});

/**
 * The client-side rate limiter against a scripted Central Management with a
 * fixed-window limit, on a manual clock: no real waits.
 */
import { type ManualClock, manualClock } from "@mdkit/testing";
import { beforeEach, describe, expect, it } from "vitest";
import {
  type CentralManagementClientOptions,
  createCentralManagementClient,
  createRateLimiter,
  RateLimitError,
  RequestTimeoutError,
  unwrap,
} from "../src/index.js";
import { rateLimitedServer } from "./rate-limited-server.js";

let clock: ManualClock;
beforeEach(() => {
  // Mid-window, as a real client starts.
  clock = manualClock(Date.UTC(2026, 0, 1, 12, 0, 0, 400));
});

function client(
  fetch: (request: Request) => Promise<Response>,
  options: Partial<CentralManagementClientOptions> = {},
) {
  return createCentralManagementClient({
    baseUrl: "http://cm.test",
    fetch,
    clock,
    retry: { random: () => 0 },
    auth: () => ({ authorization: "Bearer rate-limit-test-token" }),
    ...options,
  });
}
const listKiosks = (cm: ReturnType<typeof client>, init: Record<string, unknown> = {}) =>
  unwrap(cm.GET("/o/pmp/v1/kiosk/devices", init));

/** Runs `count` calls, `concurrency` at a time, on the clock's time line. */
async function calls(count: number, concurrency: number, call: () => Promise<unknown>) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      await call();
    }
  };
  await clock.run(Promise.all(Array.from({ length: concurrency }, worker)));
}

describe("the rate limiter", () => {
  it("keeps to the limit the headers announce: no request refused", async () => {
    const server = rateLimitedServer(clock, { limit: 3, windowMs: 1_000 });
    const cm = client(server.fetch);
    const started = clock.now();
    await calls(20, 1, () => listKiosks(cm));
    expect(server.refused()).toBe(0);
    expect(server.log).toHaveLength(20);
    expect(server.peakPerWindow()).toBeLessThanOrEqual(3);
    // 20 requests at 3 a window: the first window is partly used, then six more.
    expect(clock.now() - started).toBeLessThan(7_000);
  });

  it("shares the budget between concurrent calls", async () => {
    const server = rateLimitedServer(clock, { limit: 4, windowMs: 1_000, latencyMs: 30 });
    const cm = client(server.fetch);
    await calls(40, 8, () => listKiosks(cm));
    // Before the first answer nothing is known: only that first burst may meet the limit.
    expect(server.refused()).toBeLessThanOrEqual(4);
    expect(server.log.slice(8).filter((l) => l.status === 429)).toEqual([]);
    expect(server.log.filter((l) => l.status === 200)).toHaveLength(40);
  });

  it("learns from X-RateLimit-Remaining when someone else uses the same budget", async () => {
    const server = rateLimitedServer(clock, { limit: 10, windowMs: 1_000, othersPerRequest: 2 });
    const cm = client(server.fetch);
    await calls(30, 1, () => listKiosks(cm));
    expect(server.refused()).toBe(0);
  });

  it("holds every request after a 429 until its window resets", async () => {
    // Pacing off: only the retry policy, which honours Retry-After.
    const unpaced = rateLimitedServer(clock, { limit: 2, windowMs: 10_000 });
    await calls(6, 3, () => listKiosks(client(unpaced.fetch, { rateLimit: false })));
    const paced = rateLimitedServer(clock, { limit: 2, windowMs: 10_000 });
    const cm = client(paced.fetch);
    await calls(6, 3, () => listKiosks(cm));
    expect(paced.log.filter((l) => l.status === 200)).toHaveLength(6);
    // The first burst of three finds the limit; after that 429 nobody is sent early.
    expect(paced.refused()).toBe(1);
    expect(unpaced.refused()).toBeGreaterThan(paced.refused());
  });

  it("paces to the limit and window it is given when the server sends no headers", async () => {
    const server = rateLimitedServer(clock, { limit: 5, windowMs: 2_000, headers: false });
    const cm = client(server.fetch, { rateLimit: { limit: 5, windowMs: 2_000 } });
    await calls(23, 2, () => listKiosks(cm));
    expect(server.refused()).toBe(0);
  });

  it("does not believe a reset an hour away for longer than maxWaitMs", async () => {
    const hour = () =>
      Response.json([], {
        headers: {
          "x-ratelimit-limit": "1",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(Math.ceil((clock.now() + 3_600_000) / 1000)),
        },
      });
    const cm = client(async () => hour());
    await clock.run(listKiosks(cm));
    const started = clock.now();
    await clock.run(listKiosks(cm));
    expect(clock.now() - started).toBe(60_000);
    expect(Math.max(...clock.sleeps)).toBe(60_000);
  });

  it("ends its wait with the call's deadline", async () => {
    const closed = () =>
      Response.json([], {
        headers: {
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(Math.ceil((clock.now() + 30_000) / 1000)),
        },
      });
    let sent = 0;
    const cm = client(async () => {
      sent++;
      return closed();
    });
    await clock.run(listKiosks(cm));
    const started = clock.now();
    const error = await clock.run(listKiosks(cm, { timeoutMs: 5_000 }).catch((e) => e));
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(clock.now() - started).toBe(5_000);
    expect(sent).toBe(1);
  });

  it("gives a 429 whose reset is hours away back at once, as a RateLimitError", async () => {
    // The error reads its retryAfterMs on the system clock.
    clock = manualClock(Date.now());
    let sent = 0;
    const cm = client(async () => {
      sent++;
      return Response.json(
        { error: "too_many_requests" },
        {
          status: 429,
          headers: { "x-ratelimit-reset": String(Math.ceil((clock.now() + 7_200_000) / 1000)) },
        },
      );
    });
    const error = await clock.run(listKiosks(cm).catch((e) => e));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(3_600_000);
    expect(sent).toBe(1);
  });

  it("learns a margin when the server's clock lags this one", async () => {
    const server = rateLimitedServer(clock, { limit: 2, windowMs: 1_000, offsetMs: -180 });
    const cm = client(server.fetch);
    await calls(60, 1, () => listKiosks(cm));
    expect(server.log.filter((l) => l.status === 200)).toHaveLength(60);
    // 50, 100, 200 ms: a few refusals while it learns, none after.
    expect(server.refused()).toBeLessThanOrEqual(3);
    expect(server.log.slice(-30).filter((l) => l.status === 429)).toEqual([]);
  });

  it("gives clients sharing a limiter one budget", async () => {
    const server = rateLimitedServer(clock, { limit: 3, windowMs: 1_000 });
    const rateLimit = createRateLimiter({ clock });
    const a = client(server.fetch, { rateLimit });
    const b = client(server.fetch, { rateLimit });
    let i = 0;
    await calls(24, 2, () => listKiosks(i++ % 2 ? a : b));
    expect(server.refused()).toBe(0);
    expect(rateLimit.snapshot()).toMatchObject({ limit: 3, inFlight: 0 });
    expect(rateLimit.snapshot().waits).toBeGreaterThan(0);
  });

  it("does not pace the direct-connection tunnel (the product's answers)", async () => {
    const server = rateLimitedServer(clock, { limit: 1, windowMs: 60_000 });
    const cm = client(server.fetch);
    await clock.run(listKiosks(cm));
    const started = clock.now();
    for (let n = 0; n < 3; n++) {
      await clock.run(
        cm.POST("/fusion/console/services/connection/{connectionId}", {
          params: {
            path: { connectionId: "c1" },
            header: { "X-App-Method": "GET", "X-App-URL": "/file/rules" },
          },
          parseAs: "stream",
          retry: false,
        }),
      );
    }
    expect(clock.now()).toBe(started);
  });
});

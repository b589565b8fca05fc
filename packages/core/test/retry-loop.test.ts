/**
 * The retry loop of every client call, on a manual clock with a scripted
 * transport: what is sent, how often, after which waits — no real sleeps.
 */
import { type ManualClock, manualClock } from "@mdkit/testing";
import { beforeEach, describe, expect, it } from "vitest";
import {
  type ApiClientConfig,
  createApiClient,
  createHttpError,
  NetworkError,
  RequestTimeoutError,
  ServiceUnavailableError,
  unwrap,
} from "../src/index.js";
import { json, operations, type TestPaths } from "./helpers.js";

const baseUrl = "https://api.example.test/v1";

/** A scripted transport with a request log: each entry answers one request (the last repeats). */
function scripted(clock: ManualClock, ...script: Array<(request: Request) => Response>) {
  const log: Array<{ at: number; method: string; apikey: string | null }> = [];
  const fetch = async (request: Request) => {
    log.push({ at: clock.now(), method: request.method, apikey: request.headers.get("apikey") });
    if (request.body) await request.arrayBuffer();
    const next = script[Math.min(log.length - 1, script.length - 1)];
    return (next as (r: Request) => Response)(request);
  };
  return { fetch, log };
}

const busy = (retryAfter?: string) => () =>
  new Response(JSON.stringify({ err: "Server is too busy" }), {
    status: 503,
    headers: retryAfter ? { "retry-after": retryAfter } : {},
  });
const fail = (code: string) => () => {
  throw Object.assign(new Error(`connect ${code}`), { code });
};
const item = json({ id: "1", name: "n" });

let clock: ManualClock;
beforeEach(() => {
  clock = manualClock();
});

function client(fetch: (r: Request) => Promise<Response>, extra: Partial<ApiClientConfig> = {}) {
  return createApiClient<TestPaths>({
    source: "@mdkit/test",
    baseUrl,
    operations,
    fetch,
    clock,
    retry: { random: () => 0, ...(extra.retry || {}) },
    ...extra,
    ...(extra.retry === false ? { retry: false } : {}),
  });
}
const getItem = (c: ReturnType<typeof client>, init: Record<string, unknown> = {}) =>
  c.GET("/items/{id}", { params: { path: { id: "1" } }, ...init });

describe("the retry loop", () => {
  it("waits out Retry-After and re-sends, signing every attempt afresh", async () => {
    let n = 0;
    const { fetch, log } = scripted(clock, busy("2"), busy("1"), item);
    const c = client(fetch, { auth: () => ({ apikey: `key-${++n}-abcdef` }) });
    const data = await clock.run(unwrap(getItem(c)));
    expect(data).toEqual({ id: "1", name: "n" });
    expect(log.map((l) => l.at - log[0]!.at)).toEqual([0, 2_000, 3_000]);
    expect(log.map((l) => l.apikey)).toEqual(["key-1-abcdef", "key-2-abcdef", "key-3-abcdef"]);
  });

  it("gives up on a service that stays busy after maxRetries, with the last answer", async () => {
    const { fetch, log } = scripted(clock, busy());
    const error = await clock.run(unwrap(getItem(client(fetch))).catch((e: unknown) => e));
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(log).toHaveLength(5);
    // Exponential backoff from 500 ms (jitter 0 → half of each step).
    expect(clock.sleeps.filter((ms) => ms < 60_000)).toEqual([250, 500, 1_000, 2_000]);
  });

  it("never waits a Retry-After of a billion seconds: the 503 is the answer, at once", async () => {
    const { fetch, log } = scripted(clock, busy("1000000000"), item);
    const started = clock.now();
    const error = await clock.run(unwrap(getItem(client(fetch))).catch((e: unknown) => e));
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ retryAfterMs: 1_000_000_000_000 });
    expect(log).toHaveLength(1);
    expect(clock.now() - started).toBe(0);
  });

  it("waits a Retry-After up to maxRetryAfterMs", async () => {
    const { fetch, log } = scripted(clock, busy("60"), item);
    await clock.run(unwrap(getItem(client(fetch))));
    expect(log[1]!.at - log[0]!.at).toBe(60_000);
  });

  it("does not start a wait that would pass the call's deadline", async () => {
    const { fetch, log } = scripted(clock, busy("30"));
    const started = clock.now();
    const error = await clock.run(
      unwrap(getItem(client(fetch), { timeoutMs: 10_000 })).catch((e: unknown) => e),
    );
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(log).toHaveLength(1);
    expect(clock.now() - started).toBe(0);
  });

  it("counts every wait against the call's deadline (Retry-After: 2 with a 5 s deadline)", async () => {
    const { fetch, log } = scripted(clock, busy("2"));
    const started = clock.now();
    const error = await clock.run(
      unwrap(getItem(client(fetch, { timeoutMs: 5_000 }))).catch((e: unknown) => e),
    );
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(log.map((l) => l.at - started)).toEqual([0, 2_000, 4_000]);
    expect(clock.now() - started).toBe(4_000);
  });

  it("ends a hanging attempt at the deadline with a typed timeout", async () => {
    const fetch = (request: Request) =>
      new Promise<Response>((_, reject) => {
        request.signal.addEventListener("abort", () => reject(request.signal.reason));
      });
    const started = clock.now();
    const error = await clock.run(
      getItem(client(fetch), { timeoutMs: 3_000 }).catch((e: unknown) => e),
    );
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ phase: "deadline", timeoutMs: 3_000, status: 0 });
    expect(clock.now() - started).toBe(3_000);
  });

  it("retries a refused connection, and a GET after a reset; never a POST after a reset", async () => {
    const refused = scripted(clock, fail("ECONNREFUSED"), json({ id: "u1" }));
    const upload = await clock.run(
      unwrap(client(refused.fetch).POST("/upload", { body: new Uint8Array([1, 2]) })),
    );
    expect(upload).toEqual({ id: "u1" });
    expect(refused.log).toHaveLength(2);

    const reset = scripted(clock, fail("ECONNRESET"), item);
    await clock.run(unwrap(getItem(client(reset.fetch))));
    expect(reset.log).toHaveLength(2);

    const lost = scripted(clock, fail("ECONNRESET"), json({ id: "u2" }));
    const error = await clock.run(
      client(lost.fetch)
        .POST("/upload", { body: new Uint8Array([1]) })
        .catch((e: unknown) => e),
    );
    expect(error).toBeInstanceOf(NetworkError);
    expect(lost.log).toHaveLength(1);
  });

  it("retries a POST after a reset when the call or the client declares it idempotent", async () => {
    const perCall = scripted(clock, fail("ECONNRESET"), json({ id: "u3" }));
    await clock.run(
      unwrap(
        client(perCall.fetch).POST("/upload", {
          body: new Uint8Array([1]),
          retry: { idempotent: true },
        }),
      ),
    );
    expect(perCall.log).toHaveLength(2);

    const declared = scripted(clock, fail("ECONNRESET"), json({ id: "u4" }));
    const c = client(declared.fetch, { idempotentOperations: ["upload"] });
    await clock.run(unwrap(c.POST("/upload", { body: new Uint8Array([1]) })));
    expect(declared.log).toHaveLength(2);
  });

  it("does not retry a 502 of a POST, which the server may have acted on", async () => {
    const { fetch, log } = scripted(clock, json({ err: "bad gateway" }, 502));
    const result = await clock.run(client(fetch).POST("/upload", { body: new Uint8Array([1]) }));
    expect(result.response.status).toBe(502);
    expect(log).toHaveLength(1);
  });

  it("never re-sends a one-shot stream body", async () => {
    const { fetch, log } = scripted(clock, busy("0"), json({ id: "u5" }));
    const body = new Blob(["once"]).stream();
    const result = await clock.run(client(fetch).POST("/upload", { body }));
    expect(result.response.status).toBe(503);
    expect(log).toHaveLength(1);
  });

  it("turns retries off per call (retry: false) and per client", async () => {
    const perCall = scripted(clock, busy("0"), item);
    const result = await clock.run(getItem(client(perCall.fetch), { retry: false }));
    expect(result.response.status).toBe(503);
    expect(perCall.log).toHaveLength(1);

    const off = scripted(clock, busy("0"), item);
    await clock.run(getItem(client(off.fetch, { retry: false })));
    expect(off.log).toHaveLength(1);
  });

  it("lets a per-call retry option override the client's field by field", async () => {
    const { fetch, log } = scripted(clock, busy("0"));
    await clock.run(
      getItem(client(fetch, { retry: { maxRetries: 1 } }), { retry: { maxRetries: 2 } }),
    );
    expect(log).toHaveLength(3);
  });

  it("keeps the 401 renewal: renews once, then retries a busy answer", async () => {
    let key = "old-key-0001";
    let refreshed = 0;
    const { fetch, log } = scripted(clock, json({ err: "expired" }, 401), busy("1"), item);
    const c = client(fetch, {
      auth: {
        getHeaders: () => ({ apikey: key }),
        refresh: () => {
          refreshed++;
          key = "new-key-0002";
          return true;
        },
      },
    });
    await clock.run(unwrap(getItem(c)));
    expect(refreshed).toBe(1);
    expect(log.map((l) => l.apikey)).toEqual(["old-key-0001", "new-key-0002", "new-key-0002"]);
  });

  it("does not retry a call whose credentials could not be obtained (the strategy retried already)", async () => {
    const { fetch, log } = scripted(clock, item);
    let asked = 0;
    const c = client(fetch, {
      auth: () => {
        asked++;
        throw createHttpError({ status: 0, request: { method: "POST", url: `${baseUrl}/login` } });
      },
    });
    const error = await clock.run(getItem(c).catch((e: unknown) => e));
    expect(error).toBeInstanceOf(NetworkError);
    expect(asked).toBe(1);
    expect(log).toHaveLength(0);
  });

  it("fails fast once a dead service has emptied the client's retry budget", async () => {
    const dead = scripted(clock, busy("0"));
    const c = client(dead.fetch, { retry: { budget: { capacity: 12, retryCost: 5 } } });
    await clock.run(getItem(c));
    expect(dead.log).toHaveLength(3); // two retries took 10 of the 12 tokens
    await clock.run(getItem(c));
    expect(dead.log).toHaveLength(4); // nothing left: the first answer stands
  });

  it("refills the budget as calls succeed", async () => {
    let healthy = false;
    const { fetch, log } = scripted(clock, () => (healthy ? item() : busy("0")()));
    const c = client(fetch, {
      retry: { budget: { capacity: 10, retryCost: 5, successRefill: 5 } },
    });
    await clock.run(getItem(c)); // 1 + 2 retries: budget empty
    healthy = true;
    await clock.run(getItem(c)); // success: +5
    healthy = false;
    const before = log.length;
    await clock.run(getItem(c));
    expect(log.length - before).toBe(2); // one retry affordable again
  });

  it("rejects at once when the caller aborts during a wait", async () => {
    const { fetch, log } = scripted(clock, busy("30"));
    const controller = new AbortController();
    const pending = getItem(client(fetch), { signal: controller.signal }).catch((e: unknown) => e);
    await clock.run(new Promise((resolve) => setImmediate(resolve)));
    controller.abort(new Error("user gave up"));
    const error = await pending;
    expect((error as Error).message).toBe("user gave up");
    expect(log).toHaveLength(1);
  });
});

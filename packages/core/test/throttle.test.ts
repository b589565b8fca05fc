/**
 * The transport's throttle hook: asked before every attempt, told how each
 * ended; its waits end with the call's deadline. Manual clock, scripted fetch.
 */
import { type ManualClock, manualClock } from "@mdkit/testing";
import { beforeEach, describe, expect, it } from "vitest";
import {
  createApiClient,
  NetworkError,
  type RequestThrottle,
  RequestTimeoutError,
  unwrap,
} from "../src/index.js";
import { json, operations, type TestPaths } from "./helpers.js";

const baseUrl = "https://api.example.test/v1";
let clock: ManualClock;
beforeEach(() => {
  clock = manualClock();
});

/** A throttle that records what it is asked and told, and holds each request `waitMs`. */
function recordingThrottle(waitMs = 0) {
  const events: string[] = [];
  const throttle: RequestThrottle = {
    async acquire(operation, signal) {
      events.push(`acquire ${operation} at ${clock.now()}`);
      if (waitMs) await clock.sleep(waitMs, signal);
      return (response) => events.push(`release ${response ? response.status : "none"}`);
    },
  };
  return { throttle, events };
}

function client(fetch: (r: Request) => Promise<Response>, throttle: RequestThrottle) {
  return createApiClient<TestPaths>({
    source: "@mdkit/test",
    baseUrl,
    operations,
    fetch,
    clock,
    throttle,
    retry: { random: () => 0 },
    auth: () => ({ apikey: "throttle-test-key" }),
  });
}
const getItem = (c: ReturnType<typeof client>, init: Record<string, unknown> = {}) =>
  c.GET("/items/{id}", { params: { path: { id: "1" } }, ...init });

describe("the throttle hook", () => {
  it("is asked before every attempt (retries too) and told each answer", async () => {
    const sent: Array<{ at: number; apikey: string | null }> = [];
    const answers = [
      () => new Response(null, { status: 503, headers: { "retry-after": "1" } }),
      json({ id: "1", name: "n" }),
    ];
    const fetch = async (request: Request) => {
      sent.push({ at: clock.now(), apikey: request.headers.get("apikey") });
      return (answers[sent.length - 1] as () => Response)();
    };
    const { throttle, events } = recordingThrottle(250);
    const start = clock.now();
    const data = await clock.run(unwrap(getItem(client(fetch, throttle))));
    expect(data).toEqual({ id: "1", name: "n" });
    expect(events).toEqual([
      `acquire getItem at ${start}`,
      "release 503",
      `acquire getItem at ${start + 250 + 1_000}`,
      "release 200",
    ]);
    // Each attempt went out once the throttle let it, signed.
    expect(sent.map((s) => s.at - start)).toEqual([250, 1_500]);
    expect(sent.every((s) => s.apikey === "throttle-test-key")).toBe(true);
  });

  it("is told when an attempt got no response", async () => {
    const fetch = async () => {
      throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    };
    const { throttle, events } = recordingThrottle();
    const error = await clock.run(
      unwrap(getItem(client(fetch, throttle), { retry: { maxRetries: 1 } })).catch((e) => e),
    );
    expect(error).toBeInstanceOf(NetworkError);
    expect(events.filter((e) => e.startsWith("release"))).toEqual(["release none", "release none"]);
  });

  it("never holds a call past its deadline: the request is not sent", async () => {
    let sent = 0;
    const fetch = async () => {
      sent++;
      return json({ id: "1", name: "n" })();
    };
    const { throttle } = recordingThrottle(60_000);
    const started = clock.now();
    const error = await clock.run(
      unwrap(getItem(client(fetch, throttle), { timeoutMs: 5_000 })).catch((e) => e),
    );
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect((error as RequestTimeoutError).phase).toBe("deadline");
    expect(sent).toBe(0);
    expect(clock.now() - started).toBe(5_000);
  });
});

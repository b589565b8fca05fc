import { describe, expect, it } from "vitest";
import { RATE_LIMITED_OPERATIONS } from "../src/cm/operation.js";
import { createSimulator } from "../src/index.js";
import {
  DEMO,
  expectConforms,
  fakeClock,
  getToken,
  requestToken,
  SECURED_CALLS,
  securedRequest,
  spec,
} from "./cm-helpers.js";

const WINDOW = 60_000;

describe("Central Management rate limits", () => {
  it("limits each client per fixed window with X-RateLimit-* headers, 429 + Retry-After, then recovers", async () => {
    const clock = fakeClock(Date.UTC(2025, 5, 1, 12, 0, 10));
    await using sim = createSimulator({
      now: clock.now,
      cm: { rateLimit: { limit: 3, windowMs: WINDOW }, clients: { a: "1", b: "2" } },
    });
    const windowEnd = Date.UTC(2025, 5, 1, 12, 1);
    // The token request is the first of client a's three in this window.
    const token = await getToken(sim.fetch, { clientId: "a", clientSecret: "1" });
    const remaining: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await sim.fetch(securedRequest("listKioskDevices", token));
      expect(res.status).toBe(200);
      expect(res.headers.get("x-ratelimit-limit")).toBe("3");
      expect(res.headers.get("x-ratelimit-reset")).toBe(String(windowEnd / 1000));
      remaining.push(res.headers.get("x-ratelimit-remaining") as string);
    }
    expect(remaining).toEqual(["1", "0"]);

    clock.advance(20_000);
    const refused = await sim.fetch(securedRequest("listCoreReports", token));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("30");
    expect(refused.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(refused.headers.get("x-ratelimit-reset")).toBe(String(windowEnd / 1000));
    expectConforms("listCoreReports", 429, await refused.json());
    const tokenRefused = await requestToken(sim.fetch, {
      client_id: "a",
      client_secret: "1",
      grant_type: "client_credentials",
    });
    expect(tokenRefused.status).toBe(429);

    // Another client has its own window; operations without a 429 in the spec are not limited.
    const other = await getToken(sim.fetch, { clientId: "b", clientSecret: "2" });
    expect((await sim.fetch(securedRequest("listKioskDevices", other))).status).toBe(200);
    const unlimited = await sim.fetch(securedRequest("updateKioskConfiguration", token));
    expect(unlimited.status).toBe(200);
    expect(unlimited.headers.has("x-ratelimit-limit")).toBe(false);

    clock.advance(30_000);
    const recovered = await sim.fetch(securedRequest("listKioskDevices", token));
    expect(recovered.status).toBe(200);
    expect(recovered.headers.get("x-ratelimit-remaining")).toBe("2");
  });

  it("is off by default", async () => {
    await using sim = createSimulator();
    const token = await getToken(sim.fetch, DEMO);
    for (let i = 0; i < 50; i++) {
      const res = await sim.fetch(securedRequest("listKioskDevices", token));
      expect(res.status).toBe(200);
      expect(res.headers.has("x-ratelimit-limit")).toBe(false);
    }
  });

  it("applies to exactly the operations whose spec declares 429", () => {
    const declared = Object.values(spec.document.paths as Record<string, Record<string, unknown>>)
      .flatMap((item) => Object.values(item))
      .filter(
        (op): op is { operationId: string; responses: Record<string, unknown> } =>
          typeof op === "object" && op !== null && "operationId" in op,
      )
      .filter((op) => "429" in op.responses)
      .map((op) => op.operationId);
    expect([...RATE_LIMITED_OPERATIONS].sort()).toEqual(declared.sort());
    for (const id of declared) if (id !== "getOAuthToken") expect(SECURED_CALLS).toHaveProperty(id);
  });
});

import { describe, expect, it } from "vitest";
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

const GRANT = { grant_type: "client_credentials" };

describe("Central Management OAuth", () => {
  it("issues an opaque bearer token for the default client, valid for tokenTtlMs", async () => {
    await using sim = createSimulator({ cm: { tokenTtlMs: 120_000 } });
    const res = await requestToken(sim.fetch, {
      client_id: DEMO.clientId,
      client_secret: DEMO.clientSecret,
      ...GRANT,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as {
      access_token: string;
      token_type: string;
      expires_in: number;
    };
    expectConforms("getOAuthToken", 200, body);
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 120 });
    expect(body.access_token).toMatch(/^\S{32,}$/);
    const list = await sim.fetch(securedRequest("listKioskDevices", body.access_token));
    expect(list.status).toBe(200);
    expect(sim.cm.activeTokens).toBe(1);
  });

  it("refuses a wrong secret or unknown client with 401 invalid_client", async () => {
    await using sim = createSimulator({ cm: { clients: { alpha: "s3cret", beta: "other" } } });
    for (const form of [
      { client_id: "alpha", client_secret: "wrong" },
      { client_id: "alpha", client_secret: "other" },
      { client_id: "gamma", client_secret: "s3cret" },
      { client_id: DEMO.clientId, client_secret: DEMO.clientSecret },
    ]) {
      const res = await requestToken(sim.fetch, { ...form, ...GRANT });
      expect(res.status).toBe(401);
      const body = await res.json();
      expectConforms("getOAuthToken", 401, body);
      expect(body).toMatchObject({ error: "invalid_client" });
    }
    expect(await getToken(sim.fetch, { clientId: "alpha", clientSecret: "s3cret" })).toBeTruthy();
  });

  it("answers malformed token requests with 400 OAuth errors", async () => {
    await using sim = createSimulator();
    const wrongGrant = await requestToken(sim.fetch, {
      client_id: DEMO.clientId,
      client_secret: DEMO.clientSecret,
      grant_type: "password",
    });
    expect(wrongGrant.status).toBe(400);
    expect(await wrongGrant.json()).toMatchObject({ error: "unsupported_grant_type" });
    const missing = await requestToken(sim.fetch, { client_id: DEMO.clientId, ...GRANT });
    expect(missing.status).toBe(400);
    const body = await missing.json();
    expectConforms("getOAuthToken", 400, body);
    expect(body).toMatchObject({ error: "invalid_request" });
    const json = await sim.fetch(
      new Request("http://cm.sim.local/o/oauth2/token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          client_id: DEMO.clientId,
          client_secret: DEMO.clientSecret,
          ...GRANT,
        }),
      }),
    );
    expect(json.status).toBe(400);
  });

  it("revokes a client: its tokens and token requests get 401 until restored", async () => {
    await using sim = createSimulator();
    const token = await getToken(sim.fetch);
    sim.cm.revokeClient(DEMO.clientId);
    expect((await sim.fetch(securedRequest("listKioskDevices", token))).status).toBe(401);
    const refused = await requestToken(sim.fetch, {
      client_id: DEMO.clientId,
      client_secret: DEMO.clientSecret,
      ...GRANT,
    });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: "invalid_client" });
    sim.cm.restoreClient(DEMO.clientId);
    const fresh = await getToken(sim.fetch);
    expect((await sim.fetch(securedRequest("listKioskDevices", fresh))).status).toBe(200);
  });

  it("expires tokens on the simulator's clock, and on expireTokens()", async () => {
    const clock = fakeClock();
    await using sim = createSimulator({ now: clock.now, cm: { tokenTtlMs: 60_000 } });
    const token = await getToken(sim.fetch);
    clock.advance(59_999);
    expect((await sim.fetch(securedRequest("listKioskDevices", token))).status).toBe(200);
    clock.advance(1);
    const expired = await sim.fetch(securedRequest("listKioskDevices", token));
    expect(expired.status).toBe(401);
    expect(expired.headers.get("www-authenticate")).toMatch(/^Bearer /);
    expectConforms("listKioskDevices", 401, await expired.json());

    const second = await getToken(sim.fetch);
    sim.cm.expireTokens();
    expect(sim.cm.activeTokens).toBe(0);
    expect((await sim.fetch(securedRequest("listKioskDevices", second))).status).toBe(401);
  });

  it("answers every bearer-protected operation with a spec-conformant 401 without a valid token", async () => {
    await using sim = createSimulator();
    for (const operationId of Object.keys(SECURED_CALLS)) {
      for (const token of [undefined, "not-a-token"]) {
        const res = await sim.fetch(securedRequest(operationId, token));
        expect(res.status, `${operationId} with ${token ?? "no token"}`).toBe(401);
        expectConforms(operationId, 401, await res.json());
      }
    }
    // Every operation of the spec is covered, and every secured one declares 401.
    const declared = Object.values(spec.document.paths as Record<string, Record<string, unknown>>)
      .flatMap((item) => Object.values(item))
      .filter(
        (op): op is { operationId: string; responses: Record<string, unknown> } =>
          typeof op === "object" && op !== null && "operationId" in op,
      );
    expect(declared).toHaveLength(17);
    for (const op of declared) {
      if (op.operationId === "getOAuthToken") continue;
      expect(Object.keys(SECURED_CALLS)).toContain(op.operationId);
      expect(Object.keys(op.responses), op.operationId).toContain("401");
    }
  });
});

import { clientCredentials } from "@mdkit/auth";
import { createCentralManagementClient, NotFoundError } from "@mdkit/central-management";
import { BadRequestError, createClusterClient, unwrap } from "@mdkit/cluster";
import { scanFile } from "@mdkit/scan";
import {
  createSimulator,
  DEFAULT_CREDENTIALS,
  EICAR_TEST_STRING,
  type SimulatorOptions,
} from "@mdkit/simulator";
import { describe, expect, it } from "vitest";
import {
  DirectConnectionError,
  DirectConnectionTimeoutError,
  openDirectConnection,
} from "../src/index.js";

const CORE_KEY = "core-apikey-0001";

/** A simulator, a Central Management client of it (in-process or over HTTP), and its Core deployment. */
async function setup(options: SimulatorOptions = {}, overHttp = false) {
  const sim = createSimulator({
    ...options,
    cluster: { apiKeys: [CORE_KEY], scanDurationMs: 40, ...options.cluster },
    cm: { connectDelayMs: 50, ...options.cm },
  });
  const baseUrl = overHttp ? (await sim.listen()).url : "http://cm.test";
  const fetch = overHttp ? undefined : (request: Request) => sim.fetch(request);
  const auth = clientCredentials({
    baseUrl,
    ...DEFAULT_CREDENTIALS.cm,
    ...(fetch ? { fetch } : {}),
  });
  const cm = createCentralManagementClient({ baseUrl, auth, ...(fetch ? { fetch } : {}) });
  const deploymentId = sim.options.cm.deployments.find((d) => d.startsWith("MDCORE")) ?? "";
  return { sim, cm, deploymentId, [Symbol.asyncDispose]: () => sim.close() };
}

describe.each([
  ["in-process", false],
  ["over HTTP", true],
])("openDirectConnection (%s)", (_name, overHttp) => {
  it("waits until CONNECTED, then the typed Core client and scanFile work through the tunnel", async () => {
    await using env = await setup({}, overHttp);
    await using connection = await openDirectConnection(env.cm, {
      productType: "mdcore",
      deploymentId: env.deploymentId,
      purpose: "integration test",
    });
    expect(connection.status).toBe("CONNECTED");
    const core = createClusterClient({
      baseUrl: connection.baseUrl,
      fetch: connection.fetch,
      auth: () => ({ apikey: CORE_KEY }),
    });
    const rules = await unwrap(core.GET("/file/rules"));
    expect(rules.map((r) => r.name)).toContain("multiscan");
    const infected = await scanFile(core, {
      data: new TextEncoder().encode(EICAR_TEST_STRING),
      name: "eicar.com",
    });
    expect(infected.verdict).toBe("infected");
    const clean = await scanFile(core, new Blob(["through the tunnel"]));
    expect(clean.verdict).toBe("clean");
    expect(
      env.sim.cm.connections.find((c) => c.connId === connection.id)?.requests,
    ).toBeGreaterThan(3);
  });

  it("passes the product's own errors through as product responses", async () => {
    await using env = await setup({}, overHttp);
    await using connection = await openDirectConnection(env.cm, {
      productType: "mdcore",
      deploymentId: env.deploymentId,
    });
    const core = createClusterClient({
      baseUrl: connection.baseUrl,
      fetch: connection.fetch,
      auth: () => ({ apikey: "wrong-key-0001" }),
    });
    // Core's own refusal of an invalid apikey on createBatch, as the gateway
    // document gives it: 400 "apikey is missing or invalid".
    const error = await unwrap(core.POST("/file/batch")).catch((e) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.status).toBe(400);
    expect(error.body).toEqual({ err: "Bad Request: apikey is missing or invalid." });
    expect(error.operation).toBe("createBatch");
    expect(JSON.stringify(error)).not.toContain("wrong-key-0001");
  });
});

describe("openDirectConnection lifecycle", () => {
  it("await using closes the connection; the fetch refuses afterwards", async () => {
    await using env = await setup();
    let kept: Awaited<ReturnType<typeof openDirectConnection>> | undefined;
    {
      await using connection = await openDirectConnection(env.cm, {
        productType: "mdcore",
        deploymentId: env.deploymentId,
      });
      kept = connection;
    }
    expect(env.sim.state.requestCount("closeConnection")).toBe(1);
    expect(env.sim.cm.connections[0]?.status).toBe("DISCONNECTED");
    await expect(kept?.fetch(`${kept.baseUrl}/file/rules`)).rejects.toBeInstanceOf(
      DirectConnectionError,
    );
    await kept?.close();
    expect(env.sim.state.requestCount("closeConnection")).toBe(1);
  });

  it("times out with a typed error and closes the connection again", async () => {
    await using env = await setup({ cm: { connectDelayMs: 60_000 } });
    const error = await openDirectConnection(env.cm, {
      productType: "mdcore",
      deploymentId: env.deploymentId,
      timeoutMs: 300,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(DirectConnectionTimeoutError);
    expect(error.status).toBe("REQUESTING");
    expect(env.sim.state.requestCount("closeConnection")).toBe(1);
  });

  it("reports a FAILED connection", async () => {
    await using env = await setup({ cm: { connectDelayMs: 200 } });
    const pending = openDirectConnection(env.cm, {
      productType: "mdcore",
      deploymentId: env.deploymentId,
    });
    while (env.sim.cm.connections.length === 0) await new Promise((r) => setTimeout(r, 5));
    env.sim.cm.failConnection(env.sim.cm.connections[0]?.connId ?? "");
    const error = await pending.catch((e) => e);
    expect(error).toBeInstanceOf(DirectConnectionError);
    expect(error.status).toBe("FAILED");
  });

  it("an unknown deployment is a typed 404", async () => {
    await using env = await setup();
    const error = await openDirectConnection(env.cm, {
      productType: "mdcore",
      deploymentId: "MDCORE-NOPE",
    }).catch((e) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.operation).toBe("initiateConnection");
  });
});

describe("openDirectConnection under Central Management's rate limit", () => {
  it("keeps its token request and status polls within the limit: nothing refused, the tunnel unpaced", async () => {
    await using env = await setup({
      cm: { rateLimit: { limit: 2, windowMs: 1_000 }, connectDelayMs: 600 },
    });
    await using connection = await openDirectConnection(env.cm, {
      productType: "mdcore",
      deploymentId: env.deploymentId,
      purpose: "rate-limited integration test",
      pollIntervalMs: 20,
    });
    expect(connection.status).toBe("CONNECTED");
    const core = createClusterClient({
      baseUrl: connection.baseUrl,
      fetch: connection.fetch,
      auth: () => ({ apikey: CORE_KEY }),
    });
    for (let i = 0; i < 5; i++)
      expect((await unwrap(core.GET("/file/rules"))).length).toBeGreaterThan(0);
    expect(env.sim.state.requestCount("getConnectionStatus")).toBeGreaterThan(1);
    expect(env.sim.state.responsesByStatus.get(429) ?? 0).toBe(0);
    expect(env.sim.state.peakRequestsPerRateWindow).toBeLessThanOrEqual(2);
  });
});

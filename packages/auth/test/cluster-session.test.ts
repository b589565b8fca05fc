import { createClusterClient, ReplayError, unwrap } from "@mdkit/cluster";
import { describe, expect, it } from "vitest";
import { clusterApiKey, clusterSession, InvalidCredentialsError } from "../src/index.js";
import { SIM_URL, simulator } from "./helpers.js";

const login = { user: "admin", password: "admin" };

describe("clusterSession against the simulator", () => {
  it("logs in on first use and reuses the session", async () => {
    const { sim, fetch } = simulator();
    await using _ = sim;
    const auth = clusterSession({ ...login, baseUrl: SIM_URL, fetch });
    const cluster = createClusterClient({ baseUrl: SIM_URL, fetch, auth });
    await unwrap(cluster.POST("/file/batch"));
    await unwrap(cluster.POST("/file/batch"));
    expect(sim.state.requestCount("login")).toBe(1);
  });

  it("an expired session causes exactly one re-login and no failed call", async () => {
    const { sim, fetch } = simulator();
    await using _ = sim;
    const auth = clusterSession({ ...login, baseUrl: SIM_URL, fetch });
    const cluster = createClusterClient({ baseUrl: SIM_URL, fetch, auth });
    await unwrap(cluster.POST("/file/batch"));
    sim.cluster.expireSessions();
    const results = await Promise.all(
      Array.from({ length: 500 }, () => cluster.POST("/file/batch")),
    );
    expect(results.filter((r) => r.response.status !== 200)).toEqual([]);
    expect(sim.state.requestCount("login")).toBe(2);
  });

  it("re-sends a Blob upload after re-login, but refuses to re-send a one-shot stream", async () => {
    const { sim, fetch } = simulator();
    await using _ = sim;
    const auth = clusterSession({ ...login, baseUrl: SIM_URL, fetch });
    const cluster = createClusterClient({ baseUrl: SIM_URL, fetch, auth });
    await auth.getSessionId();
    sim.cluster.expireSessions();
    const blob = new Blob(["hello"]);
    const ok = await unwrap(
      cluster.POST("/file", { body: blob, params: { header: { "Content-Length": blob.size } } }),
    );
    expect(ok.data_id).toEqual(expect.any(String));

    sim.cluster.expireSessions();
    const stream = new Blob(["hello"]).stream();
    await expect(
      cluster.POST("/file", { body: stream, params: { header: { "Content-Length": 5 } } }),
    ).rejects.toBeInstanceOf(ReplayError);
  });

  it("a wrong password fails once with InvalidCredentialsError naming the settings to fix", async () => {
    const { sim, fetch } = simulator();
    await using _ = sim;
    const auth = clusterSession({
      user: "admin",
      password: "not-the-password",
      baseUrl: SIM_URL,
      fetch,
    });
    const cluster = createClusterClient({ baseUrl: SIM_URL, fetch, auth });
    const error = await cluster.POST("/file/batch").catch((e) => e);
    expect(error).toBeInstanceOf(InvalidCredentialsError);
    expect(error.operation).toBe("login");
    expect(error.status).toBe(403);
    expect(error.message).toContain("MDKIT_CLUSTER_USER / MDKIT_CLUSTER_PASSWORD");
    expect(error.message).toContain("clusterSession");
    expect(String(error)).not.toContain("not-the-password");
    expect(sim.state.requestCount("login")).toBe(1);
    expect(sim.state.requestCount("createBatch")).toBe(0);
  });

  it("await using logs out at the end of the scope", async () => {
    const { sim, fetch } = simulator();
    await using _ = sim;
    let sessionId = "";
    {
      await using auth = clusterSession({ ...login, baseUrl: SIM_URL, fetch });
      sessionId = await auth.getSessionId();
    }
    expect(sim.state.requestCount("logout")).toBe(1);
    const stale = createClusterClient({
      baseUrl: SIM_URL,
      fetch,
      auth: () => ({ apikey: sessionId }),
    });
    // The document's answer to an invalid apikey on createBatch.
    const { response } = await stale.POST("/file/batch");
    expect(response.status).toBe(400);
  });

  it("a static API key works and is only sent to its gateway", async () => {
    const { sim, fetch } = simulator({ cluster: { apiKeys: ["static-key-0001"] } });
    await using _ = sim;
    const auth = clusterApiKey({ apiKey: "static-key-0001", baseUrl: SIM_URL });
    const cluster = createClusterClient({ baseUrl: SIM_URL, fetch, auth });
    await unwrap(cluster.POST("/file/batch"));
    expect(() => auth.getHeaders(new Request("https://other.test/file"))).toThrow(
      /refusing to send the API key/,
    );
  });
});

// clusterSession against the simulator in its default (documented) mode: a
// session expired the way the gateway document signals it — 403 on upload,
// 400 on cancel and batch operations, 405 on result reads and downloads — is
// renewed once and the call succeeds; a 400 about the request itself never
// causes a login; a login refused after expiry is InvalidCredentialsError.
import { type ClusterClient, createClusterClient, unwrap } from "@mdkit/cluster";
import type { Simulator } from "@mdkit/simulator";
import { describe, expect, it } from "vitest";
import { clusterApiKey, clusterSession, InvalidCredentialsError } from "../src/index.js";
import { fakeClock, SIM_URL, simulator } from "./helpers.js";

const login = { user: "admin", password: "admin" };
const bytes = (text: string) => new TextEncoder().encode(text);

/** A logged-in session, a client using it, and a finished upload in a closed batch. */
async function loggedIn(options: Parameters<typeof simulator>[0] = {}) {
  const clock = fakeClock();
  const { sim, fetch } = simulator({
    now: clock.now,
    ...options,
    cluster: {
      scanDurationMs: 10,
      rules: [{ name: "sanitize", maxFileSize: 1 << 20, sanitize: true }],
      ...options.cluster,
    },
  });
  const auth = clusterSession({ ...login, baseUrl: SIM_URL, fetch });
  const cluster = createClusterClient({ baseUrl: SIM_URL, fetch, auth });
  const { batch_id } = await unwrap(cluster.POST("/file/batch"));
  const content = bytes("expiry test");
  const { data_id } = await unwrap(
    cluster.POST("/file", {
      body: content,
      params: { header: { "Content-Length": content.byteLength, batch: batch_id } },
    }),
  );
  await unwrap(
    cluster.POST("/file/batch/{batchId}/close", { params: { path: { batchId: batch_id } } }),
  );
  clock.advance(10);
  return { sim, cluster, auth, clock, ids: { batch_id, data_id } };
}

type Ids = { batch_id: string; data_id: string };

/** One call per protected operation, each returning its HTTP status. */
const CALLS: Array<
  [
    name: string,
    documented: number,
    call: (c: ClusterClient, ids: Ids) => Promise<{ response: Response }>,
  ]
> = [
  [
    "analyzeFile",
    403,
    (c) => c.POST("/file", { body: bytes("again"), params: { header: { "Content-Length": 5 } } }),
  ],
  [
    "getAnalysisResult",
    405,
    (c, ids) => c.GET("/file/{data_id}", { params: { path: { data_id: ids.data_id } } }),
  ],
  ["lookupHash", 403, (c) => c.GET("/hash/{hash}", { params: { path: { hash: "a".repeat(64) } } })],
  ["listRules", 403, (c) => c.GET("/file/rules")],
  [
    "downloadConvertedFile",
    405,
    (c, ids) =>
      c.GET("/file/converted/{data_id}", {
        params: { path: { data_id: ids.data_id } },
        parseAs: "blob",
      }),
  ],
  [
    "downloadProcessedFile",
    405,
    (c, ids) =>
      c.GET("/file/download/{data_id}", {
        params: { path: { data_id: ids.data_id } },
        parseAs: "blob",
      }),
  ],
  ["createBatch", 400, (c) => c.POST("/file/batch")],
  [
    "getBatchStatus",
    400,
    (c, ids) => c.GET("/file/batch/{batchId}", { params: { path: { batchId: ids.batch_id } } }),
  ],
  [
    "closeBatch",
    400,
    (c, ids) =>
      c.POST("/file/batch/{batchId}/close", { params: { path: { batchId: ids.batch_id } } }),
  ],
  [
    "getBatchCertificate",
    400,
    (c, ids) =>
      c.GET("/file/batch/{batchId}/certificate", { params: { path: { batchId: ids.batch_id } } }),
  ],
  [
    "cancelAnalysis",
    400,
    (c, ids) => c.POST("/file/{data_id}/cancel", { params: { path: { data_id: ids.data_id } } }),
  ],
  [
    "cancelBatch",
    400,
    (c, ids) =>
      c.POST("/file/batch/{batchId}/cancel", { params: { path: { batchId: ids.batch_id } } }),
  ],
];

function refusalsOf(sim: Simulator, status: number): number {
  return sim.state.responsesByStatus.get(status) ?? 0;
}

describe("clusterSession renews a session expired the way the gateway document signals it", () => {
  it.each(CALLS)(
    "%s: answered %i once, renewed once, the call succeeds",
    async (_name, documented, call) => {
      const { sim, cluster, ids } = await loggedIn();
      await using _ = sim;
      const loginsBefore = sim.state.requestCount("login");
      const refusedBefore = refusalsOf(sim, documented);
      sim.cluster.expireSessions();
      const { response } = await call(cluster, ids);
      expect(response.status).toBe(200);
      expect(sim.state.requestCount("login")).toBe(loginsBefore + 1);
      // The gateway refused exactly once, with the document's status for this operation.
      expect(refusalsOf(sim, documented)).toBe(refusedBefore + 1);
    },
  );

  it("renews once for 500 concurrent uploads refused with 403, none of them failed", async () => {
    const { sim, cluster } = await loggedIn({ cluster: { capacity: 10_000 } });
    await using _ = sim;
    sim.cluster.expireSessions();
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) => {
        const body = bytes(`file ${i}`);
        return cluster.POST("/file", {
          body,
          params: { header: { "Content-Length": body.byteLength } },
        });
      }),
    );
    expect(results.filter((r) => r.response.status !== 200)).toEqual([]);
    expect(sim.state.requestCount("login")).toBe(2);
    expect(refusalsOf(sim, 403)).toBe(500);
  });

  it('renews on 401 too (simulator option authFailures: "401")', async () => {
    const { sim, cluster, ids } = await loggedIn({ cluster: { authFailures: "401" } });
    await using _ = sim;
    sim.cluster.expireSessions();
    for (const [, , call] of CALLS.slice(0, 3)) {
      sim.cluster.expireSessions();
      expect((await call(cluster, ids)).response.status).toBe(200);
    }
    expect(sim.state.requestCount("login")).toBe(4);
    expect(refusalsOf(sim, 401)).toBe(3);
  });
});

describe("clusterSession does not log in again for other refusals", () => {
  it("a 400 about the request itself (open batch, unknown rule, multipart) causes no login", async () => {
    const { sim, cluster } = await loggedIn();
    await using _ = sim;
    const { batch_id } = await unwrap(cluster.POST("/file/batch"));
    const open = await cluster.GET("/file/batch/{batchId}/certificate", {
      params: { path: { batchId: batch_id } },
    });
    expect(open.response.status).toBe(400);
    const rule = await cluster.POST("/file", {
      body: bytes("x"),
      params: { header: { "Content-Length": 1, rule: "no-such-rule" } },
    });
    expect(rule.response.status).toBe(400);
    const form = bytes('--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nx\r\n--x--\r\n');
    const multipart = await cluster.POST("/file", {
      body: form,
      params: { header: { "Content-Length": form.byteLength } },
      headers: { "content-type": "multipart/form-data; boundary=x" },
    });
    expect(multipart.response.status).toBe(400);
    expect(sim.state.requestCount("login")).toBe(1);
  });

  it("a refusal of a request that carried no session is not renewed", async () => {
    const { sim, auth } = await loggedIn();
    await using _ = sim;
    const renewed = await auth.refresh?.({
      response: new Response(null, { status: 403 }),
      request: new Request(`${SIM_URL}/file`, { method: "POST" }),
      body: { err: "Invalid user information." },
    });
    expect(renewed).toBe(false);
    expect(sim.state.requestCount("login")).toBe(1);
  });

  it("a static API key is never renewed: its refusal reaches the caller", async () => {
    const { sim, fetch } = simulator();
    await using _ = sim;
    const auth = clusterApiKey({ apiKey: "not-a-key", baseUrl: SIM_URL });
    const cluster = createClusterClient({ baseUrl: SIM_URL, fetch, auth });
    expect((await cluster.POST("/file/batch")).response.status).toBe(400);
    expect(sim.state.requestCount("login")).toBe(0);
  });
});

describe("clusterSession when the renewal itself is refused", () => {
  it("a password changed on the gateway: the call fails once with InvalidCredentialsError naming the settings", async () => {
    const { sim, cluster, ids } = await loggedIn();
    await using _ = sim;
    sim.options.cluster.users.admin = "rotated";
    sim.cluster.expireSessions();
    const error = await cluster
      .GET("/file/{data_id}", { params: { path: { data_id: ids.data_id } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidCredentialsError);
    expect((error as InvalidCredentialsError).operation).toBe("login");
    expect((error as Error).message).toMatch(/MDKIT_CLUSTER_USER \/ MDKIT_CLUSTER_PASSWORD/);
    expect(sim.state.requestCount("login")).toBe(2);
    expect(sim.state.requestCount("getAnalysisResult")).toBe(1);
  });

  it("logout after the session expired resolves (the gateway's 403 means it is gone)", async () => {
    const { sim, auth } = await loggedIn();
    await using _ = sim;
    sim.cluster.expireSessions();
    await expect(auth.logout()).resolves.toBeUndefined();
    expect(sim.state.responsesByStatus.get(403)).toBe(1);
  });
});

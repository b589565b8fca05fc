// Sessions: login, logout, expiry by inactivity, static API keys, and how a
// missing, invalid or expired apikey is refused: per operation as the gateway
// document writes it (the default), 401 everywhere (an option), or not at all
// for requests without a key (anonymous mode).
import { createClusterClient, unwrap } from "@mdkit/cluster";
import { createSpecValidator } from "@mdkit/testing";
import { describe, expect, it } from "vitest";
import { createSimulator, type Simulator, type SimulatorOptions } from "../src/index.js";
import { login, testClock } from "./cluster-helpers.js";

const spec = createSpecValidator("cluster");

/**
 * Every protected operation with the status the gateway document gives for a
 * missing and for an invalid or expired apikey (`001_b253ef56415d0f8a.txt`).
 */
const DOCUMENTED: Array<[method: string, path: string, missing: number, invalid: number]> = [
  ["POST", "/logout", 400, 403],
  ["POST", "/file", 403, 403],
  ["GET", "/file/0123", 405, 405],
  ["POST", "/file/0123/cancel", 400, 400],
  ["GET", `/hash/${"a".repeat(64)}`, 403, 403],
  ["GET", "/file/rules", 403, 403],
  ["GET", "/file/converted/0123", 405, 405],
  ["GET", "/file/download/0123", 405, 405],
  ["POST", "/file/batch", 400, 400],
  ["GET", "/file/batch/0123", 400, 400],
  ["POST", "/file/batch/0123/close", 400, 400],
  ["GET", "/file/batch/0123/certificate", 400, 400],
  ["POST", "/file/batch/0123/cancel", 400, 400],
];

/** Sends `method path` with `apikey` (none when undefined), a small body for uploads. */
function send(sim: Simulator, method: string, path: string, apikey: string | undefined) {
  const headers: Record<string, string> = apikey ? { apikey } : {};
  const init: RequestInit = { method, headers };
  if (path === "/file") {
    init.body = "abc";
    headers["content-length"] = "3";
  }
  return sim.fetch(new Request(`http://sim.local${path}`, init));
}

/** The operationIds the simulator counted, except `login`. */
function servedOperations(sim: Simulator): string[] {
  return [...sim.state.requests.keys()].filter((id) => id !== "login").sort();
}

/** Every operationId of the spec that needs an apikey. */
function securedOperations(): string[] {
  const paths = spec.document.paths as Record<string, Record<string, { operationId: string }>>;
  return Object.values(paths)
    .flatMap((item) => Object.values(item).map((op) => op.operationId))
    .filter((id) => id !== "login")
    .sort();
}

async function refusals(options: SimulatorOptions, apikeyOf: (sim: Simulator) => Promise<string>) {
  await using sim = createSimulator(options);
  const apikey = await apikeyOf(sim);
  const seen: Array<[string, number, unknown]> = [];
  for (const [method, path] of DOCUMENTED) {
    const res = await send(sim, method, path, apikey || undefined);
    seen.push([`${method} ${path}`, res.status, await res.json()]);
  }
  return { seen, served: servedOperations(sim) };
}

describe("cluster: sessions", () => {
  it("logs in with the configured users and refuses wrong credentials with 403", async () => {
    await using sim = createSimulator({ cluster: { users: { alice: "s3cret" } } });
    const anonymous = createClusterClient({ baseUrl: "http://sim.local", fetch: sim.fetch });
    const ok = await unwrap(
      anonymous.POST("/login", { body: { user: "alice", password: "s3cret" } }),
    );
    expect(ok.session_id).toMatch(/^[0-9a-f]{32}$/);
    const bad = await anonymous.POST("/login", { body: { user: "alice", password: "nope" } });
    expect(bad.response.status).toBe(403);
    expect(bad.error).toEqual({ err: "Failed to login" });
    const admin = await anonymous.POST("/login", { body: { user: "admin", password: "admin" } });
    expect(admin.response.status).toBe(403);
  });

  it("uses the session as apikey until logout; then the upload is refused with 403", async () => {
    await using sim = createSimulator();
    const apikey = await login(sim);
    const cluster = createClusterClient({
      baseUrl: "http://sim.local",
      fetch: sim.fetch,
      auth: () => ({ apikey }),
    });
    expect((await cluster.GET("/file/rules")).response.status).toBe(200);
    expect(await unwrap(cluster.POST("/logout"))).toEqual({ response: "Logout success" });
    const after = await send(sim, "POST", "/file", apikey);
    expect(after.status).toBe(403);
    expect(await after.json()).toEqual({ err: "Invalid user information." });
  });

  it("expires a session after sessionTtlMs without use; each use extends it", async () => {
    const clock = testClock();
    await using sim = createSimulator({ now: clock.now, cluster: { sessionTtlMs: 1000 } });
    const apikey = await login(sim);
    for (let i = 0; i < 3; i++) {
      clock.advance(900);
      expect((await send(sim, "POST", "/file/batch", apikey)).status).toBe(200);
    }
    clock.advance(1000);
    const expired = await send(sim, "POST", "/file/batch", apikey);
    expect(expired.status).toBe(400);
    expect(await expired.json()).toEqual({ err: "Bad Request: apikey is missing or invalid." });
  });

  it("expireSessions() invalidates every session; static API keys keep working", async () => {
    await using sim = createSimulator({ cluster: { apiKeys: ["static-key-1"] } });
    const apikey = await login(sim);
    expect(sim.cluster.sessionCount).toBe(1);
    sim.cluster.expireSessions();
    expect((await send(sim, "GET", "/file/rules", apikey)).status).toBe(403);
    expect((await send(sim, "GET", "/file/rules", "static-key-1")).status).toBe(200);
  });
});

describe("cluster: refusals as the gateway document writes them (default)", () => {
  it.each([
    ["a missing apikey", async () => "", 2],
    ["an unknown apikey", async () => "wrong-key", 3],
    [
      "an expired session",
      async (sim: Simulator) => {
        const session = await login(sim);
        sim.cluster.expireSessions();
        return session;
      },
      3,
    ],
  ] as const)(
    "answers %s per operation, with a declared status and an err body",
    async (_name, apikeyOf, column) => {
      const { seen, served } = await refusals({}, apikeyOf);
      const expected = DOCUMENTED.map(([method, path, ...statuses]) => [
        `${method} ${path}`,
        statuses[column - 2],
      ]);
      expect(seen.map(([request, status]) => [request, status])).toEqual(expected);
      for (const [request, , body] of seen)
        expect(body, request).toEqual({ err: expect.any(String) });
      // Every protected operation of the spec was asked.
      expect(served).toEqual(securedOperations());
    },
  );

  it.each(["documented", "401"] as const)(
    "every %s refusal is declared by the spec for its operation, and its body validates",
    async (authFailures) => {
      await using sim = createSimulator({ cluster: { authFailures } });
      for (const apikey of [undefined, "wrong-key"]) {
        for (const [method, path] of DOCUMENTED) {
          const before = new Map(sim.state.requests);
          const res = await send(sim, method, path, apikey);
          const operationId = [...sim.state.requests].find(
            ([id, n]) => (before.get(id) ?? 0) !== n,
          )?.[0] as string;
          expect(spec.validateResponse(operationId, res.status, await res.json())).toEqual([]);
        }
      }
    },
  );

  it('authFailures: "401" answers 401 with an err body on every protected operation', async () => {
    const { seen, served } = await refusals({ cluster: { authFailures: "401" } }, async () => "");
    expect(seen.map(([, status]) => status)).toEqual(DOCUMENTED.map(() => 401));
    for (const [request, , body] of seen)
      expect(body, request).toEqual({ err: expect.any(String) });
    expect(served).toEqual(securedOperations());
  });
});

describe("cluster: anonymous mode", () => {
  it("serves requests without an apikey, still refuses a wrong or expired one, and logout needs one", async () => {
    await using sim = createSimulator({ cluster: { anonymous: true, scanDurationMs: 0 } });
    const cluster = createClusterClient({ baseUrl: "http://sim.local", fetch: sim.fetch });
    const bytes = new TextEncoder().encode("anonymous upload");
    const { data_id } = await unwrap(
      cluster.POST("/file", {
        body: bytes,
        params: { header: { "Content-Length": bytes.byteLength } },
      }),
    );
    expect(sim.cluster.file(data_id)?.username).toBe("anonymous");
    await unwrap(cluster.GET("/file/{data_id}", { params: { path: { data_id } } }));
    await unwrap(cluster.POST("/file/batch"));

    expect((await send(sim, "POST", "/file", "wrong-key")).status).toBe(403);
    const session = await login(sim);
    sim.cluster.expireSessions();
    expect((await send(sim, "POST", "/file/batch", session)).status).toBe(400);
    expect((await send(sim, "POST", "/logout", undefined)).status).toBe(400);
  });

  it("is off by default", async () => {
    await using sim = createSimulator();
    expect(sim.options.cluster.anonymous).toBe(false);
    expect(sim.options.cluster.authFailures).toBe("documented");
    expect((await send(sim, "POST", "/file", undefined)).status).toBe(403);
  });
});

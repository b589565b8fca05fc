// Sessions: login, logout, expiry by inactivity, static API keys, and 401
// on every protected operation.
import { createClusterClient, unwrap } from "@mdkit/cluster";
import { describe, expect, it } from "vitest";
import { createSimulator } from "../src/index.js";
import { login, testClock } from "./cluster-helpers.js";

const PROTECTED: Array<[method: string, path: string]> = [
  ["POST", "/logout"],
  ["POST", "/file"],
  ["GET", "/file/0123"],
  ["POST", "/file/0123/cancel"],
  ["GET", `/hash/${"a".repeat(64)}`],
  ["GET", "/file/rules"],
  ["GET", "/file/converted/0123"],
  ["GET", "/file/download/0123"],
  ["POST", "/file/batch"],
  ["GET", "/file/batch/0123"],
  ["POST", "/file/batch/0123/close"],
  ["GET", "/file/batch/0123/certificate"],
  ["POST", "/file/batch/0123/cancel"],
];

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

  it("uses the session as apikey until logout", async () => {
    await using sim = createSimulator();
    const apikey = await login(sim);
    const cluster = createClusterClient({
      baseUrl: "http://sim.local",
      fetch: sim.fetch,
      auth: () => ({ apikey }),
    });
    expect((await cluster.GET("/file/rules")).response.status).toBe(200);
    expect(await unwrap(cluster.POST("/logout"))).toEqual({ response: "Logout success" });
    const after = await cluster.GET("/file/rules");
    expect(after.response.status).toBe(401);
    expect(after.error).toEqual({ err: expect.any(String) });
  });

  it("expires a session after sessionTtlMs without use; each use extends it", async () => {
    const clock = testClock();
    await using sim = createSimulator({ now: clock.now, cluster: { sessionTtlMs: 1000 } });
    const apikey = await login(sim);
    const cluster = createClusterClient({
      baseUrl: "http://sim.local",
      fetch: sim.fetch,
      auth: () => ({ apikey }),
    });
    for (let i = 0; i < 3; i++) {
      clock.advance(900);
      expect((await cluster.GET("/file/rules")).response.status).toBe(200);
    }
    clock.advance(1000);
    expect((await cluster.GET("/file/rules")).response.status).toBe(401);
  });

  it("expireSessions() invalidates every session; static API keys keep working", async () => {
    await using sim = createSimulator({ cluster: { apiKeys: ["static-key-1"] } });
    const apikey = await login(sim);
    expect(sim.cluster.sessionCount).toBe(1);
    sim.cluster.expireSessions();
    const call = (key: string) =>
      sim.fetch(new Request("http://sim.local/file/rules", { headers: { apikey: key } }));
    expect((await call(apikey)).status).toBe(401);
    expect((await call("static-key-1")).status).toBe(200);
  });

  it("answers 401 with an err body on every protected operation", async () => {
    await using sim = createSimulator();
    for (const apikey of [undefined, "wrong-key"]) {
      for (const [method, path] of PROTECTED) {
        const headers: Record<string, string> = apikey ? { apikey } : {};
        const init: RequestInit = { method, headers };
        if (path === "/file") {
          init.body = "abc";
          headers["content-length"] = "3";
        }
        const res = await sim.fetch(new Request(`http://sim.local${path}`, init));
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(await res.json()).toEqual({ err: expect.any(String) });
      }
    }
  });
});

import { describe, expect, it } from "vitest";
import { createSimulator } from "../src/index.js";

// A valid login of the default user: the cheapest operation to exercise the framework with.
const LOGIN = JSON.stringify({ user: "admin", password: "admin" });

describe("simulator framework", () => {
  it("serves the same handler in-process and over HTTP, and counts requests", async () => {
    await using sim = createSimulator();
    const inProcess = await sim.fetch(
      new Request("http://sim.local/login", { method: "POST", body: LOGIN }),
    );
    expect(inProcess.status).toBe(200);
    const server = await sim.listen();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const overHttp = await fetch(`${server.url}/login`, { method: "POST", body: LOGIN });
    expect(overHttp.status).toBe(200);
    expect(sim.state.requestCount("login")).toBe(2);
    expect(sim.state.peakInFlight).toBeGreaterThanOrEqual(1);
  });

  it("injects a 503 burst, then recovers", async () => {
    await using sim = createSimulator({
      faults: { login: { burst: { status: 503, count: 2, retryAfterSeconds: 2 } } },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await sim.fetch(
        new Request("http://sim.local/login", { method: "POST", body: LOGIN }),
      );
      statuses.push(res.status);
      if (res.status === 503) expect(res.headers.get("retry-after")).toBe("2");
    }
    expect(statuses).toEqual([503, 503, 200]);
  });

  it("resets connections: a TypeError in-process, a socket error over HTTP", async () => {
    await using sim = createSimulator({ faults: { login: { resetRate: 1 } } });
    await expect(
      sim.fetch(new Request("http://sim.local/login", { method: "POST", body: LOGIN })),
    ).rejects.toThrow(TypeError);
    const server = await sim.listen();
    await expect(fetch(`${server.url}/login`, { method: "POST", body: LOGIN })).rejects.toThrow(
      TypeError,
    );
  });

  it("truncates JSON bodies on request", async () => {
    await using sim = createSimulator({ faults: { "*": { truncateRate: 1 } } });
    const res = await sim.fetch(
      new Request("http://sim.local/login", { method: "POST", body: LOGIN }),
    );
    expect(res.status).toBe(200);
    expect(() => JSON.parse("")).toThrow();
    await expect(res.json()).rejects.toThrow(SyntaxError);
  });

  it("is deterministic for a seed", async () => {
    const ids = async (seed: number) => {
      await using sim = createSimulator({ seed });
      const res = await sim.fetch(
        new Request("http://sim.local/login", { method: "POST", body: LOGIN }),
      );
      return ((await res.json()) as { session_id: string }).session_id;
    };
    expect(await ids(7)).toBe(await ids(7));
    expect(await ids(7)).not.toBe(await ids(8));
  });

  it("answers unknown routes with 404", async () => {
    await using sim = createSimulator();
    const res = await sim.fetch(new Request("http://sim.local/nope"));
    expect(res.status).toBe(404);
  });
});

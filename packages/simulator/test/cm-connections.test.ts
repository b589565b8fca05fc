import { describe, expect, it } from "vitest";
import { createCentralManagementApi } from "../src/cm/index.js";
import { createContext } from "../src/context.js";
import { FaultController } from "../src/faults.js";
import { createSimulator } from "../src/index.js";
import { createRandom } from "../src/internal/random.js";
import { resolveOptions, type SimulatorOptions } from "../src/options.js";
import { SimulatorState } from "../src/state.js";
import { BASE, cmClient, DEMO, expectConforms, fakeClock, getToken } from "./cm-helpers.js";

const CONN = "/fusion/console/services/connection";

/** Central Management alone, with a recording product behind the tunnel. */
function cmWithProduct(
  product: (request: Request) => Response | Promise<Response>,
  options: SimulatorOptions = {},
) {
  const resolved = resolveOptions({ ...options, cm: { connectDelayMs: 0, ...options.cm } });
  const ctx = createContext(
    resolved,
    new SimulatorState(),
    createRandom(1),
    new FaultController({}, createRandom(2)),
  );
  const cm = createCentralManagementApi(ctx, { coreFetch: product });
  return { fetch: async (request: Request) => cm.app.fetch(request, {}), control: cm.control };
}

async function open(fetch: (r: Request) => Promise<Response>, token: string, base = BASE) {
  const res = await fetch(
    new Request(`${base}${CONN}/request/mdcore`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ deploymentId: "MDCORE-SIM-0001" }),
    }),
  );
  expect(res.status).toBe(200);
  return ((await res.json()) as { connId: string }).connId;
}

describe("Central Management direct connections", () => {
  it("goes REQUESTING → CONNECTED after connectDelayMs, then closes", async () => {
    const clock = fakeClock();
    await using sim = createSimulator({ now: clock.now, cm: { connectDelayMs: 500 } });
    const cm = await cmClient(sim.fetch);
    const opened = await cm.POST(`${CONN}/request/{productType}`, {
      params: { path: { productType: "mdcore" } },
      body: { deploymentId: "MDCORE-SIM-0001", Purpose: "tests" },
    });
    expect(opened.response.status).toBe(200);
    expectConforms("initiateConnection", 200, opened.data);
    expect(opened.data?.status).toBe("REQUESTING");
    const connectionId = opened.data?.connId as string;
    const status = () => cm.GET(`${CONN}/{connectionId}`, { params: { path: { connectionId } } });

    clock.advance(499);
    expect((await status()).data?.status).toBe("REQUESTING");
    clock.advance(1);
    const connected = await status();
    expectConforms("getConnectionStatus", 200, connected.data);
    expect(connected.data).toEqual({ connId: connectionId, status: "CONNECTED" });
    expect(sim.cm.connections).toMatchObject([
      {
        connId: connectionId,
        deploymentId: "MDCORE-SIM-0001",
        purpose: "tests",
        status: "CONNECTED",
      },
    ]);

    const closed = await cm.DELETE(`${CONN}/{connectionId}`, {
      params: { path: { connectionId } },
    });
    expect(closed.response.status).toBe(200);
    expect(closed.data).toBeUndefined();
    const after = await status();
    expect(after.response.status).toBe(400);
    expectConforms("getConnectionStatus", 400, after.error);
    expect(after.error).toMatchObject({ message: "Invalid ConnectionId" });
    // Closing twice is fine; closing what was never opened is not.
    const again = await cm.DELETE(`${CONN}/{connectionId}`, { params: { path: { connectionId } } });
    expect(again.response.status).toBe(200);
    const unknown = await cm.DELETE(`${CONN}/{connectionId}`, {
      params: { path: { connectionId: "nope" } },
    });
    expect(unknown.response.status).toBe(400);
    expect(sim.cm.connections[0]?.status).toBe("DISCONNECTED");
  });

  it("refuses unknown deployments and product types that do not match with 404", async () => {
    await using sim = createSimulator({ cm: { deployments: ["MDCORE-A1", "MDICAP-B2"] } });
    const cm = await cmClient(sim.fetch);
    const attempt = (productType: "mdcore" | "mdicap", deploymentId: string) =>
      cm.POST(`${CONN}/request/{productType}`, {
        params: { path: { productType } },
        body: { deploymentId },
      });
    for (const [type, id] of [
      ["mdcore", "MDCORE-ZZ"],
      ["mdicap", "MDCORE-A1"],
      ["mdcore", "MDICAP-B2"],
    ] as const) {
      const res = await attempt(type, id);
      expect(res.response.status).toBe(404);
      expectConforms("initiateConnection", 404, res.error);
      expect(res.error).toMatchObject({ message: "Incorrect DeploymentId" });
    }
    expect((await attempt("mdicap", "MDICAP-B2")).response.status).toBe(200);
    const missing = await sim.fetch(
      new Request(`${BASE}${CONN}/request/mdcore`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${await getToken(sim.fetch)}`,
          "content-type": "application/json",
        },
        body: "{}",
      }),
    );
    expect(missing.status).toBe(400);
  });

  it("tunnels to the embedded Core only once CONNECTED (409 before, 409 when FAILED)", async () => {
    const clock = fakeClock();
    await using sim = createSimulator({
      now: clock.now,
      cm: { connectDelayMs: 1000 },
      cluster: { apiKeys: ["core-key"] },
    });
    const cm = await cmClient(sim.fetch);
    const connectionId = (
      await cm.POST(`${CONN}/request/{productType}`, {
        params: { path: { productType: "mdcore" } },
        body: { deploymentId: "MDCORE-SIM-0001" },
      })
    ).data?.connId as string;
    const rules = () =>
      cm.POST(`${CONN}/{connectionId}`, {
        params: {
          path: { connectionId },
          header: { "X-App-Method": "GET", "X-App-URL": "/file/rules" },
        },
        headers: { "X-App-Header-apikey": "core-key" },
        parseAs: "json",
      });
    const early = await rules();
    expect(early.response.status).toBe(409);
    expectConforms("sendConnectionRequest", 409, early.error);
    clock.advance(1000);
    const ok = await rules();
    expect(ok.response.status).toBe(200);
    expect(ok.response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(ok.data).toEqual(
      sim.options.cluster.rules.map((r) => ({ max_file_size: r.maxFileSize, name: r.name })),
    );
    expect(sim.state.requestCount("listRules")).toBe(1);
    expect(sim.cm.connections[0]?.requests).toBe(1);
    sim.cm.failConnection(connectionId);
    expect((await rules()).response.status).toBe(409);
  });

  it("passes the product's own errors through unchanged (Core's 403 without an apikey)", async () => {
    await using sim = createSimulator({ cm: { connectDelayMs: 0 } });
    const token = await getToken(sim.fetch);
    const connId = await open(sim.fetch, token);
    const res = await sim.fetch(
      new Request(`${BASE}${CONN}/${connId}`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "X-App-Method": "GET",
          "X-App-URL": "/file/rules",
        },
      }),
    );
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ err: "Invalid user information." });
  });

  it("uploads a file to Core through the tunnel and reads its result (in-process and over HTTP)", async () => {
    await using sim = createSimulator({
      cm: { connectDelayMs: 0 },
      cluster: { apiKeys: ["core-key"], scanDurationMs: 0 },
    });
    const server = await sim.listen();
    for (const base of [BASE, server.url]) {
      const send = base === BASE ? sim.fetch : (r: Request) => fetch(r);
      const token = await getToken(send, DEMO, base);
      const connId = await open(send, token, base);
      const content = new TextEncoder().encode("hello through the tunnel\n");
      const upload = await send(
        new Request(`${base}${CONN}/${connId}`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${token}`,
            "content-type": "application/octet-stream",
            "X-App-Method": "POST",
            "X-App-URL": "/file",
            "X-App-Header-apikey": "core-key",
            "X-App-Header-filename": "hello.txt",
            // In-process a Request carries no Content-Length of its own; the product needs one.
            "X-App-Header-Content-Length": String(content.byteLength),
          },
          body: content,
        }),
      );
      expect(upload.status).toBe(200);
      const { data_id } = (await upload.json()) as { data_id: string };
      expect(sim.cluster.file(data_id)?.displayName).toBe("hello.txt");
      const result = await send(
        new Request(`${base}${CONN}/${connId}`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${token}`,
            "X-App-Method": "GET",
            "X-App-URL": `/file/${data_id}?first=0&size=10`,
            "X-App-Header-apikey": "core-key",
          },
        }),
      );
      expect(result.status).toBe(200);
      expect(await result.json()).toMatchObject({ data_id });
    }
  });

  it("forwards X-App-Header-* without the prefix, the query, never Authorization", async () => {
    const seen: Request[] = [];
    const sim = cmWithProduct((request) => {
      seen.push(request);
      return new Response("pong", {
        status: 202,
        headers: { "content-type": "text/plain", "x-product": "core" },
      });
    });
    const token = await getToken(sim.fetch);
    const connId = await open(sim.fetch, token);
    const res = await sim.fetch(
      new Request(`${BASE}${CONN}/${connId}`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "X-App-Method": "delete",
          "X-App-URL": "/file/abc?first=2&size=5",
          "X-App-Header-apikey": "k-1",
          "X-App-Header-rule": "Sanitize%20all",
          "X-App-Header-Authorization": "Bearer leaked?",
          "X-Other": "not forwarded",
        },
      }),
    );
    expect(res.status).toBe(202);
    expect(res.headers.get("content-type")).toBe("text/plain");
    expect(res.headers.get("x-product")).toBe("core");
    expect(await res.text()).toBe("pong");
    const request = seen[0] as Request;
    expect(request.method).toBe("DELETE");
    const url = new URL(request.url);
    expect(url.pathname + url.search).toBe("/file/abc?first=2&size=5");
    expect(Object.fromEntries(request.headers)).toEqual({ apikey: "k-1", rule: "Sanitize%20all" });
    expect(sim.control.connections[0]?.requests).toBe(1);
  });

  it("streams the body to the product as it arrives (nothing buffered)", async () => {
    let productGotFirstChunk!: () => void;
    const firstChunkSeen = new Promise<void>((resolve) => {
      productGotFirstChunk = resolve;
    });
    let bytes = 0;
    const sim = cmWithProduct(async (request) => {
      const reader = (request.body as ReadableStream<Uint8Array>).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        productGotFirstChunk();
      }
      return Response.json({ bytes, type: request.headers.get("content-type") });
    });
    const token = await getToken(sim.fetch);
    const connId = await open(sim.fetch, token);
    let push!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = controller;
      },
    });
    const pending = sim.fetch(
      new Request(`${BASE}${CONN}/${connId}`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/octet-stream",
          "X-App-Method": "POST",
          "X-App-URL": "/file",
        },
        body,
        duplex: "half",
      } as RequestInit),
    );
    push.enqueue(new Uint8Array(64 * 1024));
    // The product reads the first chunk while the client has not finished sending.
    await firstChunkSeen;
    push.enqueue(new Uint8Array(64 * 1024));
    push.close();
    const res = await pending;
    expect(await res.json()).toEqual({ bytes: 128 * 1024, type: "application/octet-stream" });
  });

  it("refuses malformed X-App-* headers and unknown connections with 400", async () => {
    const sim = cmWithProduct(() => new Response("unreachable"));
    const token = await getToken(sim.fetch);
    const connId = await open(sim.fetch, token);
    const send = (id: string, headers: Record<string, string>) =>
      sim.fetch(
        new Request(`${BASE}${CONN}/${id}`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, ...headers },
        }),
      );
    expect((await send(connId, { "X-App-URL": "/file/rules" })).status).toBe(400);
    expect((await send(connId, { "X-App-Method": "FETCH", "X-App-URL": "/x" })).status).toBe(400);
    expect(
      (await send(connId, { "X-App-Method": "GET", "X-App-URL": "http://elsewhere/x" })).status,
    ).toBe(400);
    const unknown = await send("unknown", { "X-App-Method": "GET", "X-App-URL": "/file/rules" });
    expect(unknown.status).toBe(400);
    expectConforms("sendConnectionRequest", 400, await unknown.json());
  });
});

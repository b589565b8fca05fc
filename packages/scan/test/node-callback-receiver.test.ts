// The Node receiver over real HTTP on 127.0.0.1: listening, mounted on an
// existing server, and end to end with the simulator calling back over HTTP.
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { createClusterClient } from "@mdkit/cluster";
import { createSimulator } from "@mdkit/simulator";
import { describe, expect, it } from "vitest";
import { CallbackReceiverError, createCallbackReceiver, scanFile } from "../src/node/index.js";
import { bytes, EICAR } from "./helpers.js";

/** Sends a POST with a declared length and returns the status (or "closed" if the socket ended first). */
function post(url: string, length: number, chunk: string): Promise<number | "closed"> {
  return new Promise((resolve) => {
    const req = httpRequest(url, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": length },
    });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", () => resolve("closed"));
    req.write(chunk);
  });
}

describe("createCallbackReceiver (Node)", () => {
  it("listens on a free port of 127.0.0.1 and answers callbacks over HTTP", async () => {
    await using receiver = await createCallbackReceiver();
    expect(receiver.address?.host).toBe("127.0.0.1");
    expect(receiver.url).toBe(`http://127.0.0.1:${receiver.address?.port}/mdkit-callbacks`);
    const subscription = receiver.subscribe();
    subscription?.bind("abc");
    const answer = await fetch(subscription?.url ?? "", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ data_id: "abc" }),
    });
    expect(answer.status).toBe(200);
    expect(await subscription?.outcome).toBe("called");
    expect((await fetch(`${receiver.url}/${"B".repeat(43)}`, { method: "POST" })).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${receiver.address?.port}/elsewhere`)).status).toBe(404);
  });

  it("answers 413 to a declared oversized body and closes the connection without reading it", async () => {
    await using receiver = await createCallbackReceiver({ maxBodyBytes: 100 });
    const url = receiver.subscribe()?.url ?? "";
    expect(await post(url, 10_000_000, "{")).toBe(413);
  });

  it("mounts on an existing server: other requests still reach its own handler; close gives it back", async () => {
    const server = createServer((_req, res) => res.end("app"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const receiver = await createCallbackReceiver({ server, path: "/hooks" });
      expect(receiver.url).toBe(`http://127.0.0.1:${port}/hooks`);
      expect(await (await fetch(`http://127.0.0.1:${port}/page`)).text()).toBe("app");
      const subscription = receiver.subscribe();
      subscription?.bind("id1");
      const answer = await fetch(subscription?.url ?? "", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      expect(answer.status).toBe(200);
      await receiver.close();
      expect(await (await fetch(`http://127.0.0.1:${port}/hooks/x`)).text()).toBe("app");
      expect(server.listenerCount("request")).toBe(1);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("reports a port it cannot listen on as CallbackReceiverError", async () => {
    await using first = await createCallbackReceiver();
    const error = await createCallbackReceiver({ port: first.address?.port }).catch((e) => e);
    expect(error).toBeInstanceOf(CallbackReceiverError);
    expect(error.message).toMatch(/cannot listen/);
  });

  it("end to end over HTTP: the simulator calls back, the scan gets the gateway's verdict", async () => {
    await using receiver = await createCallbackReceiver({
      patience: { graceMs: 60_000, slowPollIntervalMs: 60_000, slowPolls: 1 },
    });
    await using sim = createSimulator({
      cluster: { scanDurationMs: 20, apiKeys: ["k"], callbacks: {} },
    });
    const server = await sim.listen();
    const cluster = createClusterClient({ baseUrl: server.url, auth: () => ({ apikey: "k" }) });
    const result = await scanFile(cluster, new File([bytes(EICAR)], "eicar.com"), {
      callbacks: receiver,
      hashFirst: false,
      timeoutMs: 5_000,
    });
    expect(result.verdict).toBe("infected");
    expect(sim.state.requestCount("getAnalysisResult")).toBe(1);
    expect(receiver.stats.accepted).toBe(1);
  });
});

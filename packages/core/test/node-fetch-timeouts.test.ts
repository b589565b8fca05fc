/**
 * createNodeFetch's connect, headers and idle timeouts, on a manual clock
 * against real sockets: the server stalls for real, time passes by hand.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type AddressInfo, createServer as createNetServer, type Socket } from "node:net";
import { gzipSync } from "node:zlib";
import { type ManualClock, manualClock } from "@mdkit/testing";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createNodeFetch, type NodeFetch, RequestTimeoutError } from "../src/index.node.js";
import { nodeTestClient } from "./helpers.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let server: Server;
let base = "";
let handler: Handler = () => {};
let clock: ManualClock;
let fetch: NodeFetch;
const received: string[] = [];

beforeEach(async () => {
  clock = manualClock();
  fetch = createNodeFetch({ clock });
  received.length = 0;
  server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  fetch.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const settled = <T>(promise: Promise<T>) => {
  const state: { done: boolean; value?: T; error?: unknown } = { done: false };
  promise.then(
    (value) => Object.assign(state, { done: true, value }),
    (error) => Object.assign(state, { done: true, error }),
  );
  return state;
};

describe("createNodeFetch timeouts", () => {
  it("fails with phase 'headers' when an accepted request is never answered", async () => {
    handler = (req) => {
      req.on("data", (chunk) => received.push(String(chunk)));
      req.on("end", () => received.push("<end>"));
    };
    const pending = settled(
      fetch(new Request(`${base}/file`, { method: "POST", body: "the upload" })),
    );
    await vi.waitFor(() => expect(received.at(-1)).toBe("<end>"));
    clock.advance(59_999);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pending.done).toBe(false);
    clock.advance(1);
    await vi.waitFor(() => expect(pending.done).toBe(true));
    expect(pending.error).toBeInstanceOf(RequestTimeoutError);
    expect(pending.error).toMatchObject({ phase: "headers", timeoutMs: 60_000, status: 0 });
    expect((pending.error as Error).message).toContain("no response headers within 60000 ms");
  });

  it("fails a body read with phase 'idle' when the server stops sending, but not a slow reader", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"data_id":');
    };
    const response = await fetch(new Request(`${base}/file/x`));
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('{"data_id":');
    // Nobody is reading: no timer runs, however long the consumer takes.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(clock.pending).toBe(0);
    const next = settled(reader.read());
    await vi.waitFor(() => expect(clock.pending).toBe(1));
    clock.advance(60_000);
    await vi.waitFor(() => expect(next.done).toBe(true));
    expect(next.error).toBeInstanceOf(RequestTimeoutError);
    expect(next.error).toMatchObject({ phase: "idle" });
  });

  it("fails an upload with phase 'idle' when the server stops reading it", async () => {
    handler = () => {}; // never reads: the socket's buffers fill up
    const chunk = new Uint8Array(1024 * 1024);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 256) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const pending = settled(
      fetch(
        new Request(`${base}/file`, {
          method: "POST",
          body,
          duplex: "half",
          headers: { "content-length": String(256 * chunk.byteLength) },
        } as RequestInit),
      ),
    );
    // A write blocked across two of these steps has waited 60 s on the clock.
    for (let step = 0; step < 100 && !pending.done; step++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      clock.advance(30_000);
    }
    expect(pending.error).toBeInstanceOf(RequestTimeoutError);
    expect(pending.error).toMatchObject({ phase: "idle" });
  });

  it("fails an upload of bytes from a client (sent as given) with phase 'idle' when the server stops reading", async () => {
    handler = () => {}; // never reads: the socket's buffers fill up
    const client = nodeTestClient(base, { fetch });
    const pending = settled(client.POST("/upload", { body: new Uint8Array(256 * 1024 * 1024) }));
    for (let step = 0; step < 100 && !pending.done; step++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      clock.advance(30_000);
    }
    expect(pending.error).toBeInstanceOf(RequestTimeoutError);
    expect(pending.error).toMatchObject({ phase: "idle", timeoutMs: 60_000 });
  });

  it("fails with phase 'connect' when the connection never completes (a silent TLS peer)", async () => {
    // Accepts TCP but never answers the TLS handshake: the connection is never usable.
    const sockets = new Set<Socket>();
    const silent = createNetServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const pending = settled(fetch(new Request(`https://127.0.0.1:${port}/`)));
      await vi.waitFor(() => expect(clock.pending).toBe(1));
      clock.advance(9_999);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(pending.done).toBe(false);
      clock.advance(1);
      await vi.waitFor(() => expect(pending.done).toBe(true));
      expect(pending.error).toBeInstanceOf(RequestTimeoutError);
      expect(pending.error).toMatchObject({ phase: "connect", timeoutMs: 10_000 });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("fails the body, instead of leaving it pending, when a gzip answer is cut mid-way", async () => {
    const full = gzipSync(JSON.stringify({ data_id: "x", pad: "a".repeat(10_000) }));
    handler = (_req, res) => {
      res.writeHead(200, { "content-encoding": "gzip", "content-length": full.length });
      res.write(full.subarray(0, full.length >> 1));
      setTimeout(() => res.destroy(), 20);
    };
    const response = await fetch(new Request(`${base}/file/x`));
    await expect(response.text()).rejects.toThrow();
  });
});

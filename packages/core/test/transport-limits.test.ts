/**
 * Bodies that flood, lie or break, and servers that stall, through a whole
 * client: every one ends as a typed error, in bounded memory and time.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { type ManualClock, manualClock } from "@mdkit/testing";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type ApiClientConfig,
  MalformedResponseError,
  NetworkError,
  RequestTimeoutError,
  ResponseTooLargeError,
  unwrap,
} from "../src/index.node.js";
import { nodeTestClient } from "./helpers.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
let server: Server;
let base = "";
let handler: Handler = () => {};
let clock: ManualClock;
let disconnected: Promise<void>;

beforeEach(async () => {
  clock = manualClock();
  server = createServer((req, res) => {
    disconnected = new Promise((resolve) => res.once("close", () => resolve()));
    void handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const client = (extra: Partial<ApiClientConfig> = {}) => nodeTestClient(base, extra);
const getItem = (c: ReturnType<typeof client>) =>
  unwrap(c.GET("/items/{id}", { params: { path: { id: "1" } } }));

/** Writes `total` bytes of JSON padding, as fast as the client reads. */
async function flood(res: ServerResponse, total: number, headers: Record<string, string> = {}) {
  res.writeHead(200, { "content-type": "application/json", ...headers });
  res.write('{"id":"1","pad":"');
  const chunk = Buffer.alloc(64 * 1024, "a");
  for (let sent = 0; sent < total && !res.destroyed; sent += chunk.length) {
    if (!res.write(chunk)) await new Promise((resolve) => res.once("drain", resolve));
  }
  if (!res.destroyed) res.end('"}');
}

describe("body limits", () => {
  it("stops reading a JSON body over maxBodyBytes and closes the connection", async () => {
    handler = (_req, res) => flood(res, 64 * 1024 * 1024);
    const error = await getItem(client({ maxBodyBytes: 1024 * 1024 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ limitBytes: 1024 * 1024, status: 200 });
    expect((error as Error).message).toMatch(/over 1048576 bytes after decompression/);
    await disconnected;
  });

  it("counts bytes after decompression: a gzip bomb stops at the limit", async () => {
    const member = gzipSync(Buffer.alloc(8 * 1024 * 1024, " "));
    handler = async (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.write(gzipSync('{"id":"1","pad":"'));
      for (let i = 0; i < 64 && !res.destroyed; i++) {
        if (!res.write(member)) await new Promise((resolve) => res.once("drain", resolve));
      }
      if (!res.destroyed) res.end(gzipSync('"}'));
    };
    const error = await getItem(client({ maxBodyBytes: 2 * 1024 * 1024 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
  });

  it("refuses a declared Content-Length over the limit before reading", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": 50_000_000 });
      res.write("{");
    };
    const error = await getItem(client({ maxBodyBytes: 1_000_000 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
  });

  it("limits error bodies too", async () => {
    handler = (_req, res) => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end("x".repeat(2 * 1024 * 1024));
    };
    const error = await getItem(client({ maxBodyBytes: 1024 * 1024 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ status: 500 });
  });

  it("does not limit a streamed download", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.end(Buffer.alloc(3 * 1024 * 1024, 7));
    };
    const stream = await unwrap(
      client({ maxBodyBytes: 1024 * 1024 }).GET("/download/{id}", {
        params: { path: { id: "x" } },
      }),
    );
    const bytes = await new Response(stream as ReadableStream<Uint8Array>).arrayBuffer();
    expect(bytes.byteLength).toBe(3 * 1024 * 1024);
  });
});

describe("broken bodies", () => {
  it("turns a gzip answer cut mid-way into a typed error with a message", async () => {
    const full = gzipSync(JSON.stringify({ id: "1", pad: "a".repeat(50_000) }));
    handler = (_req, res) => {
      res.writeHead(200, { "content-encoding": "gzip", "content-length": full.length });
      res.write(full.subarray(0, full.length >> 1));
      setTimeout(() => res.destroy(), 20);
    };
    const error = await getItem(client()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(
      /^\[@mdkit\/test\] getItem \(GET http:\/\/127\.0\.0\.1:\d+\/items\/1\) failed before a response arrived: .+ \(the connection broke off while the HTTP 200 body was read\)$/,
    );
  });

  it("turns compressed data that is not gzip into MalformedResponseError", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.end("this is not gzip at all");
    };
    const error = await getItem(client()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as Error).message).toMatch(/body cannot be decoded/);
  });

  it("turns a body that is not JSON into MalformedResponseError (never a bare SyntaxError)", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"id":"1",');
    };
    const error = await getItem(client()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error).toMatchObject({ status: 200 });
  });

  it("refuses duplicate keys when reading strictly, and only then", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"id":"1","scan_all_result_i":1,"scan_all_result_i":0}');
    };
    const error = await getItem(client({ strictJson: true })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as Error).message).toMatch(/duplicate key "scan_all_result_i"/);
    expect(await getItem(client())).toMatchObject({ scan_all_result_i: 0 });
  });
});

describe("deadlines and timeouts of a whole call", () => {
  it("ends a 1-byte-per-second answer at the call's deadline", async () => {
    handler = async (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": 1000 });
      for (let i = 0; i < 1000 && !res.destroyed; i++) {
        res.write("{");
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    };
    const pending = getItem(client({ clock, timeoutMs: 30_000 })).catch((e: unknown) => e);
    await vi.waitFor(() => expect(clock.pending).toBeGreaterThan(0));
    clock.advance(30_000);
    const error = await pending;
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ phase: "deadline", timeoutMs: 30_000 });
    await disconnected;
  });

  it("keeps a streamed body tied to the caller's signal after the call has returned", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.write("part");
    };
    const controller = new AbortController();
    const stream = (await unwrap(
      client().GET("/download/{id}", { params: { path: { id: "x" } }, signal: controller.signal }),
    )) as ReadableStream<Uint8Array>;
    const reader = stream.getReader();
    await reader.read();
    const next = reader.read();
    controller.abort(new Error("the user stopped"));
    await expect(next).rejects.toThrow("the user stopped");
    await disconnected;
  });

  it("ends a streamed body at the call's deadline", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.write("part");
    };
    const stream = (await unwrap(
      client({ clock, timeoutMs: 10_000 }).GET("/download/{id}", {
        params: { path: { id: "x" } },
      }),
    )) as ReadableStream<Uint8Array>;
    const reader = stream.getReader();
    await reader.read();
    const next = reader.read().catch((e: unknown) => e);
    clock.advance(10_000);
    expect(await next).toMatchObject({ phase: "deadline" });
  });

  it("bounds the global fetch (portable path) by headers and idle timeouts", async () => {
    handler = () => {};
    const portable = client({ clock, fetch: (request) => globalThis.fetch(request) });
    const pending = getItem(portable).catch((e: unknown) => e);
    await vi.waitFor(() => expect(clock.pending).toBe(1));
    clock.advance(60_000);
    expect(await pending).toMatchObject({ phase: "headers", timeoutMs: 60_000 });

    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"id":');
    };
    const armed = clock.sleeps.length;
    const stalled = getItem(portable).catch((e: unknown) => e);
    // The headers timer, then (once the headers are in) the idle timer of the body read.
    await vi.waitFor(() => {
      expect(clock.sleeps.length).toBeGreaterThanOrEqual(armed + 2);
      expect(clock.pending).toBe(1);
    });
    clock.advance(60_000);
    const error = await stalled;
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ phase: "idle" });
  });

  it("ends at the deadline even when an injected fetch ignores its signal", async () => {
    const deaf = () => new Promise<Response>(() => {});
    const pending = getItem(client({ clock, fetch: deaf, timeoutMs: 5_000 })).catch(
      (e: unknown) => e,
    );
    await clock.run(pending);
    expect(await pending).toMatchObject({ phase: "deadline" });
  });
});

/**
 * The Node entry's lean request path, end to end against a real node:http
 * server: every body kind arrives byte for byte with the length and type a
 * `Request` would give it; a fetch of the user's own still gets real
 * `Request`s; auth strategies see the request as sent; answers stay real
 * `Response`s under the same limits.
 */
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type ApiClientConfig,
  createNodeFetch,
  type FetchLike,
  openFileBlob,
  ReplayError,
  ResponseTooLargeError,
  unwrap,
} from "../src/index.node.js";
import { nodeTestClient } from "./helpers.js";

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;
let server: Server;
let base = "";
let received: Received[];
let handler: Handler;
let dir: string;

const answer: Handler = (_req, res) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end('{"id":"1"}');
};

beforeEach(async () => {
  received = [];
  handler = answer;
  dir = await mkdtemp(join(tmpdir(), "mdkit-lean-"));
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
    handler(req, res, body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const client = (extra: Partial<ApiClientConfig> = {}) => nodeTestClient(base, extra);

/** POSTs `body` to an operation the table does not know (so no media type is chosen for it). */
const postRaw = (c: ReturnType<typeof client>, body: unknown, headers?: Record<string, string>) =>
  (c.request as (m: string, p: string, i: object) => Promise<{ response: Response }>)(
    "POST",
    "/raw",
    { body, headers },
  );

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("the lean request path: each body kind on the wire", () => {
  it("sends a string as UTF-8 with its byte length and the type it was given", async () => {
    const text = "héllo ✓ 𝄞";
    await postRaw(client(), text, { "content-type": "text/plain; charset=utf-8" });
    const [seen] = received;
    expect(seen?.body.toString("utf8")).toBe(text);
    expect(seen?.headers["content-length"]).toBe(String(Buffer.byteLength(text)));
    expect(seen?.headers["content-type"]).toBe("text/plain; charset=utf-8");
  });

  it("sends a view into a larger buffer as exactly its bytes, and an ArrayBuffer whole", async () => {
    const whole = new Uint8Array(256).map((_, i) => i);
    const view = whole.subarray(10, 200);
    await unwrap(client().POST("/upload", { body: view }));
    expect(received[0]?.body.equals(Buffer.from(view))).toBe(true);
    expect(received[0]?.headers["content-length"]).toBe("190");
    expect(received[0]?.headers["content-type"]).toBe("application/octet-stream");
    await postRaw(client(), whole.buffer);
    expect(received[1]?.body.equals(Buffer.from(whole))).toBe(true);
    expect(received[1]?.headers["content-length"]).toBe("256");
  });

  it("sends a Blob by its size and stream", async () => {
    const blob = new Blob(["a".repeat(70_000), "b"], { type: "image/png" });
    await unwrap(client().POST("/upload", { body: blob }));
    const [seen] = received;
    expect(seen?.headers["content-length"]).toBe(String(blob.size));
    expect(seen?.headers["content-type"]).toBe("application/octet-stream");
    expect(seen?.headers["transfer-encoding"]).toBeUndefined();
    expect(sha(seen?.body ?? Buffer.alloc(0))).toBe(sha(new Uint8Array(await blob.arrayBuffer())));
  });

  it("streams a FileBlob from disk, byte for byte, and can send it again", async () => {
    const path = join(dir, "file.bin");
    const content = Buffer.alloc(300_000);
    for (let i = 0; i < content.length; i++) content[i] = (i * 31) % 251;
    await writeFile(path, content);
    const body = await openFileBlob(path);
    const c = client();
    await unwrap(c.POST("/upload", { body }));
    await unwrap(c.POST("/upload", { body }));
    for (const seen of received) {
      expect(seen.headers["content-length"]).toBe(String(content.length));
      expect(sha(seen.body)).toBe(sha(content));
    }
  });

  it("measures a small stream of unknown length and sends it with a Content-Length", async () => {
    const parts = ["one ", "two ", "three"];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = parts.shift();
        if (next) controller.enqueue(new TextEncoder().encode(next));
        else controller.close();
      },
    });
    await unwrap(client().POST("/upload", { body }));
    expect(received[0]?.body.toString()).toBe("one two three");
    expect(received[0]?.headers["content-length"]).toBe("13");
  });

  it("sends FormData through a real Request: multipart with its boundary, parts intact", async () => {
    const form = new FormData();
    form.append("name", "report ✓");
    form.append(
      "file",
      new Blob([new Uint8Array([0, 1, 2, 255])], { type: "application/pdf" }),
      "r.pdf",
    );
    await postRaw(client(), form);
    const [seen] = received;
    const type = String(seen?.headers["content-type"]);
    expect(type).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen?.headers["content-length"]).toBe(String(seen?.body.length));
    const parsed = await new Response(new Uint8Array(seen?.body ?? []), {
      headers: { "content-type": type },
    }).formData();
    expect(parsed.get("name")).toBe("report ✓");
    const file = parsed.get("file") as File;
    expect(file.name).toBe("r.pdf");
    expect([...new Uint8Array(await file.arrayBuffer())]).toEqual([0, 1, 2, 255]);
  });

  it("sends no body and no Content-Length for a GET, and normalises the URL as Request does", async () => {
    await unwrap(client().GET("/items/{id}", { params: { path: { id: "a b/ü" } } }));
    const [seen] = received;
    expect(seen?.method).toBe("GET");
    expect(seen?.url).toBe(new URL(`${base}/items/${encodeURIComponent("a b/ü")}`).pathname);
    expect(seen?.headers["content-length"]).toBeUndefined();
    expect(seen?.body.length).toBe(0);
  });
});

describe("who sees which request", () => {
  it("a fetch of the user's own, even around createNodeFetch, gets real Requests", async () => {
    const nodeFetch = createNodeFetch();
    const seen: unknown[] = [];
    const wrapper: FetchLike = (request) => {
      seen.push(request);
      return nodeFetch(request);
    };
    const c = client({ fetch: wrapper });
    await unwrap(c.POST("/upload", { body: new Uint8Array([1, 2, 3]) }));
    await unwrap(c.GET("/items/{id}", { params: { path: { id: "1" } } }));
    nodeFetch.close();
    expect(seen).toHaveLength(2);
    for (const request of seen) expect(request).toBeInstanceOf(Request);
    expect(received[0]?.body.equals(Buffer.from([1, 2, 3]))).toBe(true);
  });

  it("middleware (of the client or of a call) gets real Requests it may rebuild", async () => {
    const seen: unknown[] = [];
    const rebuild = {
      onRequest({ request }: { request: Request }) {
        seen.push(request);
        return new Request(request, { headers: { "x-from": "middleware" } });
      },
    };
    const perCall = client();
    await unwrap(
      perCall.POST("/upload", { body: new Uint8Array([1]), middleware: [rebuild] } as never),
    );
    const withUse = client();
    withUse.use(rebuild);
    await unwrap(withUse.POST("/upload", { body: new Uint8Array([2]) }));
    expect(seen).toHaveLength(2);
    for (const request of seen) expect(request).toBeInstanceOf(Request);
    expect(received.map((r) => [r.headers["x-from"], [...r.body]])).toEqual([
      ["middleware", [1]],
      ["middleware", [2]],
    ]);
  });

  it("the Node transport itself gets lean requests: no Request is built", async () => {
    const nodeFetch = createNodeFetch();
    const seen: unknown[] = [];
    const c = client({
      fetch: nodeFetch,
      auth: {
        getHeaders(request) {
          seen.push(request);
          return { apikey: "k-lean-123456" };
        },
      },
    });
    await unwrap(c.GET("/items/{id}", { params: { path: { id: "1" } } }));
    nodeFetch.close();
    expect(seen[0]).not.toBeInstanceOf(Request);
    expect(received[0]?.headers.apikey).toBe("k-lean-123456");
  });

  it("auth renewal is given the request as it was sent, credentials included, and signs the retry", async () => {
    let key = "k-old-000001";
    const refused: Array<{ url: string; method: string; apikey: string | null }> = [];
    handler = (req, res) => {
      if (req.headers.apikey === "k-new-000002") return answer(req, res, Buffer.alloc(0));
      res.writeHead(401, { "content-type": "application/json" });
      res.end('{"err":"expired"}');
    };
    const c = client({
      auth: {
        getHeaders: () => ({ apikey: key }),
        refresh({ request, response }) {
          refused.push({
            url: request.url,
            method: request.method,
            apikey: request.headers.get("apikey"),
          });
          expect(response.status).toBe(401);
          key = "k-new-000002";
          return true;
        },
      },
    });
    const data = await unwrap(c.POST("/upload", { body: new Uint8Array([9, 9]) }));
    expect(data).toEqual({ id: "1" });
    expect(refused).toEqual([{ url: `${base}/upload`, method: "POST", apikey: "k-old-000001" }]);
    expect(received.map((r) => [r.headers.apikey, r.body.length])).toEqual([
      ["k-old-000001", 2],
      ["k-new-000002", 2],
    ]);
  });

  it("refuses to re-send a one-shot stream after a renewal (ReplayError), as before", async () => {
    handler = (_req, res) => {
      res.writeHead(401, { "content-type": "application/json" });
      res.end('{"err":"expired"}');
    };
    const c = client({ auth: { getHeaders: () => ({ apikey: "k-000001" }), refresh: () => true } });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([1]));
        controller.close();
      },
    });
    await expect(c.POST("/upload", { body })).rejects.toBeInstanceOf(ReplayError);
    expect(received).toHaveLength(1);
  });
});

describe("answers of the Node transport", () => {
  it("are real Responses a user can read, once, in any form", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('\uFEFF{"id":"ü"}');
    };
    const fetch = createNodeFetch();
    const response = await fetch(new Request(`${base}/x`));
    expect(response).toBeInstanceOf(Response);
    expect(response.bodyUsed).toBe(false);
    // As Response.text(): UTF-8, the byte order mark dropped.
    expect(await response.text()).toBe('{"id":"ü"}');
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toBeInstanceOf(TypeError);
    const again = await fetch(new Request(`${base}/x`));
    const copy = again.clone();
    expect(await again.json()).toEqual({ id: "ü" });
    expect(new Uint8Array(await copy.arrayBuffer())).toEqual(
      new Uint8Array(Buffer.from('\uFEFF{"id":"ü"}')),
    );
    const streamed = await fetch(new Request(`${base}/x`));
    expect(await new Response(streamed.body).text()).toBe('{"id":"ü"}');
    fetch.close();
  });

  it("a client's result carries a Response with the answer's status and headers", async () => {
    const result = await client().GET("/items/{id}", { params: { path: { id: "1" } } });
    expect(result.response).toBeInstanceOf(Response);
    expect(result.response.status).toBe(200);
    expect(result.response.headers.get("content-type")).toBe("application/json");
    expect(result.data).toEqual({ id: "1" });
  });

  it("an error body over the limit fails typed, compressed or not", async () => {
    handler = (_req, res) => {
      res.writeHead(503, { "content-type": "text/plain", "content-encoding": "gzip" });
      res.end(gzipSync(Buffer.alloc(4 * 1024 * 1024, "x")));
    };
    const error = await client({ maxBodyBytes: 64 * 1024 })
      .GET("/items/{id}", { params: { path: { id: "1" } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ status: 503, limitBytes: 64 * 1024 });
  });

  it("a body read after the caller's abort fails with the abort's reason, never as data", async () => {
    handler = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"id":');
    };
    const fetch = createNodeFetch();
    const controller = new AbortController();
    const response = await fetch(new Request(`${base}/x`, { signal: controller.signal }));
    const reading = response.text();
    controller.abort(new Error("stop now"));
    await expect(reading).rejects.toThrow("stop now");
    fetch.close();
  });
});

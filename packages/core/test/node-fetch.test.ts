import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeFetch } from "../src/index.node.js";

let server: Server;
let base = "";
const seen: Array<{
  method?: string;
  headers: IncomingMessage["headers"];
  bytes: number;
  sha256: string;
}> = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const hash = createHash("sha256");
    let bytes = 0;
    try {
      for await (const chunk of req) {
        hash.update(chunk);
        bytes += chunk.length;
      }
    } catch {
      return; // the client gave up mid-body (the mismatch test): nothing to answer
    }
    seen.push({ method: req.method, headers: req.headers, bytes, sha256: hash.digest("hex") });
    if (req.url === "/gzip") {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.end(gzipSync(JSON.stringify({ ok: true })));
    } else if (req.url === "/slow") {
      setTimeout(() => res.end("late"), 5_000).unref();
    } else {
      res.writeHead(201, { "content-type": "text/plain", "set-cookie": ["a=1", "b=2"] });
      res.end(`got ${bytes}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("createNodeFetch", () => {
  it("streams a body with its Content-Length, not chunked", async () => {
    const fetch = createNodeFetch();
    const chunks = 64;
    const chunk = new Uint8Array(64 * 1024).fill(7);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < chunks) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const size = chunks * chunk.byteLength;
    const response = await fetch(
      new Request(`${base}/upload`, {
        method: "POST",
        body,
        headers: { "content-length": String(size) },
        duplex: "half",
      } as RequestInit),
    );
    expect(response.status).toBe(201);
    expect(await response.text()).toBe(`got ${size}`);
    const last = seen.at(-1);
    expect(last?.headers["content-length"]).toBe(String(size));
    expect(last?.headers["transfer-encoding"]).toBeUndefined();
    expect(response.headers.get("set-cookie")).toContain("a=1");
    fetch.close();
  });

  it("sends a Blob and decodes a gzip response", async () => {
    const fetch = createNodeFetch();
    const blob = new Blob(["hello"]);
    const response = await fetch(
      new Request(`${base}/gzip`, {
        method: "POST",
        body: blob,
        headers: { "content-length": String(blob.size) },
      }),
    );
    expect(await response.json()).toEqual({ ok: true });
    expect(seen.at(-1)?.sha256).toBe(createHash("sha256").update("hello").digest("hex"));
    fetch.close();
  });

  it("sends a small body of unknown length with a Content-Length", async () => {
    const fetch = createNodeFetch();
    const body = new Blob(['{"a":1}']).stream();
    const response = await fetch(
      new Request(`${base}/json`, { method: "POST", body, duplex: "half" } as RequestInit),
    );
    expect(await response.text()).toBe("got 7");
    expect(seen.at(-1)?.headers["content-length"]).toBe("7");
    expect(seen.at(-1)?.headers["transfer-encoding"]).toBeUndefined();
    fetch.close();
  });

  it("fails, instead of hanging, when the body is shorter than its declared length", async () => {
    const fetch = createNodeFetch();
    const body = new Blob(["short"]).stream();
    const request = new Request(`${base}/upload`, {
      method: "POST",
      body,
      duplex: "half",
      headers: { "content-length": "100" },
    } as RequestInit);
    await expect(fetch(request)).rejects.toMatchObject({
      code: "ERR_HTTP_CONTENT_LENGTH_MISMATCH",
    });
    fetch.close();
  });

  it("aborts with an AbortError", async () => {
    const fetch = createNodeFetch();
    const controller = new AbortController();
    const pending = fetch(new Request(`${base}/slow`, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    fetch.close();
  });

  it("rejects with a TypeError-like error when nothing listens", async () => {
    const fetch = createNodeFetch();
    await expect(fetch(new Request("http://127.0.0.1:1/"))).rejects.toMatchObject({
      code: "ECONNREFUSED",
    });
    fetch.close();
  });
});

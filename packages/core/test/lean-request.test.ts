/**
 * The Node transport's lean request path, end to end through a client: every
 * kind of body arrives byte for byte with the length and type `fetch` would
 * give it, a user's wrapper around the transport still gets real `Request`s,
 * and the whole-body reads that skip web streams keep their limits.
 */
import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createApiClient,
  createNodeFetch,
  type FetchLike,
  openFileBlob,
  ResponseTooLargeError,
  unwrap,
} from "../src/index.node.js";

interface Received {
  method: string | undefined;
  headers: IncomingMessage["headers"];
  sha256: string;
  bytes: number;
}

let server: Server;
let base = "";
const received: Received[] = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const hash = createHash("sha256");
    let bytes = 0;
    for await (const chunk of req) {
      hash.update(chunk);
      bytes += chunk.length;
    }
    received.push({ method: req.method, headers: req.headers, sha256: hash.digest("hex"), bytes });
    if (req.url === "/big") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ pad: "x".repeat(4096) }));
    } else if (req.url === "/refused") {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "y".repeat(4096) }));
    } else {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ bytes }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");

function client(fetch: FetchLike, maxBodyBytes?: number) {
  // biome-ignore lint/suspicious/noExplicitAny: untyped paths: the test sends to any route
  return createApiClient<any>({
    source: "@mdkit/test",
    baseUrl: base,
    operations: {},
    fetch,
    auth: () => ({ apikey: "lean-secret" }),
    retry: false,
    maxBodyBytes,
  });
}

describe("the Node transport's lean requests", () => {
  const bytes = new Uint8Array(70_000).map((_, i) => i % 251);
  const kinds: Array<[string, () => Promise<unknown> | unknown, string]> = [
    ["a string", () => "héllo wörld", sha256("héllo wörld")],
    ["a Uint8Array", () => bytes, sha256(bytes)],
    ["an ArrayBuffer", () => bytes.slice().buffer, sha256(bytes)],
    ["a Blob with a type", () => new Blob([bytes], { type: "application/x-test" }), sha256(bytes)],
    [
      "a file blob",
      async () => {
        const path = join(tmpdir(), `mdkit-lean-${process.pid}.bin`);
        await writeFile(path, bytes);
        return openFileBlob(path);
      },
      sha256(bytes),
    ],
  ];
  for (const [name, make, digest] of kinds) {
    it(`sends ${name} byte for byte, with its Content-Length`, async () => {
      const fetch = createNodeFetch();
      try {
        received.length = 0;
        const body = await make();
        const data = await unwrap(client(fetch).POST("/upload", { body } as never));
        const seen = received[0] as Received;
        expect(seen.sha256).toBe(digest);
        expect(seen.headers["content-length"]).toBe(String(seen.bytes));
        expect(seen.headers["transfer-encoding"]).toBeUndefined();
        expect(seen.headers.apikey).toBe("lean-secret");
        expect(data).toEqual({ bytes: seen.bytes });
      } finally {
        fetch.close();
      }
    });
  }

  it("sends a stream of unknown length whole, and FormData as fetch encodes it", async () => {
    const fetch = createNodeFetch();
    try {
      received.length = 0;
      const stream = new Blob([bytes]).stream();
      await unwrap(client(fetch).POST("/upload", { body: stream } as never));
      expect((received[0] as Received).sha256).toBe(sha256(bytes));
      const form = new FormData();
      form.append("field", "value");
      await unwrap(client(fetch).POST("/form", { body: form } as never));
      const multipart = received[1] as Received;
      expect(multipart.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
      expect(multipart.bytes).toBeGreaterThan(0);
    } finally {
      fetch.close();
    }
  });

  it("gives a user's wrapper around the transport real Requests, and the transport lean ones", async () => {
    const fetch = createNodeFetch();
    try {
      const kinds: boolean[] = [];
      const wrapper: FetchLike = (request) => {
        kinds.push(request instanceof Request);
        return fetch(request);
      };
      await unwrap(client(wrapper).POST("/upload", { body: "a" } as never));
      expect(kinds).toEqual([true]);
      const seenByAuth: boolean[] = [];
      const lean = createApiClient<never>({
        source: "@mdkit/test",
        baseUrl: base,
        operations: {},
        fetch,
        auth: {
          getHeaders(request: Request) {
            seenByAuth.push(request instanceof Request);
            return { apikey: `for ${request.method} ${new URL(request.url).pathname}` };
          },
        },
        retry: false,
      });
      const result = await (
        lean as unknown as { GET(path: string): Promise<{ response: Response }> }
      ).GET("/lean");
      expect(seenByAuth).toEqual([false]);
      expect(received.at(-1)?.headers.apikey).toBe("for GET /lean");
      // What the user gets back is a real Response, readable again.
      expect(result.response).toBeInstanceOf(Response);
    } finally {
      fetch.close();
    }
  });

  it("keeps the body limit on whole-body reads, for successes and refusals alike", async () => {
    const fetch = createNodeFetch();
    try {
      const small = client(fetch, 1024);
      await expect(unwrap(small.GET("/big", {}))).rejects.toBeInstanceOf(ResponseTooLargeError);
      await expect(unwrap(small.GET("/refused", {}))).rejects.toBeInstanceOf(ResponseTooLargeError);
      const refused = await client(fetch).GET("/refused", {});
      expect(refused.response.status).toBe(400);
      expect((refused.error as { error: string }).error).toHaveLength(4096);
    } finally {
      fetch.close();
    }
  });
});

describe("middleware on a client of the Node transport", () => {
  it("receives real Requests it can rebuild, and its request is the one sent", async () => {
    const fetch = createNodeFetch();
    try {
      const api = client(fetch);
      const kinds: boolean[] = [];
      api.use({
        onRequest({ request }) {
          kinds.push(request instanceof Request);
          const rebuilt = new Request(request, { headers: new Headers(request.headers) });
          rebuilt.headers.set("x-from-middleware", "yes");
          return rebuilt;
        },
      });
      await unwrap(api.POST("/upload", { body: "payload" } as never));
      expect(kinds).toEqual([true]);
      const seen = received.at(-1) as Received;
      expect(seen.headers["x-from-middleware"]).toBe("yes");
      expect(seen.sha256).toBe(sha256("payload"));
    } finally {
      fetch.close();
    }
  });
});

import { getEventListeners } from "node:events";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  createApiClient,
  isHttpError,
  NetworkError,
  NotFoundError,
  ReplayError,
  ServiceUnavailableError,
  unwrap,
} from "../src/index.js";
import { json, operations, scriptedFetch, type TestPaths } from "./helpers.js";

const baseUrl = "https://api.example.test/v1";

/** A client that sends the API key `key-123456` (to its own origin only). */
const keyedClient = (fetch: (request: Request) => Promise<Response>) =>
  createApiClient<TestPaths>({
    source: "@mdkit/test",
    baseUrl,
    operations,
    fetch,
    auth: () => ({ apikey: "key-123456" }),
  });

describe("createApiClient", () => {
  it("sends binary bodies untouched with the operation's media type", async () => {
    const { fetch, seen } = scriptedFetch(json({ id: "a1" }));
    const client = createApiClient<TestPaths>({
      source: "@mdkit/test",
      baseUrl,
      operations,
      fetch,
    });
    const bytes = new TextEncoder().encode("raw \u0000 bytes");
    const { data } = await client.POST("/upload", { body: bytes });
    expect(data).toEqual({ id: "a1" });
    expect(seen[0]?.headers["content-type"]).toBe("application/octet-stream");
    expect(seen[0]?.body).toBe("raw \u0000 bytes");
  });

  it("streams an async iterable body", async () => {
    const { fetch, seen } = scriptedFetch(json({ id: "a2" }));
    const client = createApiClient<TestPaths>({
      source: "@mdkit/test",
      baseUrl,
      operations,
      fetch,
    });
    async function* chunks() {
      yield new TextEncoder().encode("part1-");
      yield new TextEncoder().encode("part2");
    }
    await client.POST("/upload", { body: chunks() });
    expect(seen[0]?.body).toBe("part1-part2");
  });

  it("form-encodes bodies of urlencoded operations", async () => {
    const { fetch, seen } = scriptedFetch(json({ access_token: "t" }));
    const client = createApiClient<TestPaths>({
      source: "@mdkit/test",
      baseUrl,
      operations,
      fetch,
    });
    await client.POST("/token", {
      body: { grant_type: "client_credentials", client_secret: "s3cr3t!" },
    });
    expect(seen[0]?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(seen[0]?.body).toBe("grant_type=client_credentials&client_secret=s3cr3t%21");
  });

  it("reads binary responses as streams by default", async () => {
    const { fetch } = scriptedFetch(
      () => new Response("file-bytes", { headers: { "content-type": "application/octet-stream" } }),
    );
    const client = createApiClient<TestPaths>({
      source: "@mdkit/test",
      baseUrl,
      operations,
      fetch,
    });
    const implicit = await client.GET("/download/{id}", { params: { path: { id: "x" } } });
    expect(implicit.data).toBeInstanceOf(ReadableStream);
    const { data } = await client.GET("/download/{id}", {
      params: { path: { id: "x" } },
      parseAs: "stream",
    });
    expectTypeOf(data).toEqualTypeOf<Response["body"] | undefined>();
    expect(await new Response(data).text()).toBe("file-bytes");
  });

  it("applies auth to its own origin only", async () => {
    const { fetch, seen } = scriptedFetch(json({ id: "1", name: "n" }));
    const client = keyedClient(fetch);
    await client.GET("/items/{id}", { params: { path: { id: "1" } } });
    await client.GET("/items/{id}", {
      params: { path: { id: "1" } },
      baseUrl: "https://elsewhere.test",
    });
    expect(seen[0]?.headers.apikey).toBe("key-123456");
    expect(seen[1]?.url).toBe("https://elsewhere.test/items/1");
    expect(seen[1]?.headers.apikey).toBeUndefined();
  });

  it("leaves nothing listening on a caller's signal shared by many calls", async () => {
    const { fetch } = scriptedFetch(json({ id: "1", name: "n" }));
    const client = createApiClient<TestPaths>({
      source: "@mdkit/test",
      baseUrl,
      operations,
      fetch,
    });
    const run = new AbortController();
    for (let i = 0; i < 200; i++) {
      await unwrap(
        client.GET("/items/{id}", { params: { path: { id: "1" } }, signal: run.signal }),
      );
    }
    const timed = client.GET("/items/{id}", {
      params: { path: { id: "1" } },
      signal: run.signal,
      timeoutMs: 5_000,
    });
    await unwrap(timed);
    expect(getEventListeners(run.signal, "abort")).toHaveLength(0);
  });

  it("withholds credentials from origins that only look like its own", async () => {
    const lookalikes = [
      "https://api.example.test.evil.test/v1",
      "https://api.example.test:8443/v1",
      "http://api.example.test/v1",
      "https://api.example.testx/v1",
    ];
    const { fetch, seen } = scriptedFetch(...lookalikes.map(() => json({ id: "1", name: "n" })));
    const client = keyedClient(fetch);
    for (const elsewhere of lookalikes) {
      await client.GET("/items/{id}", { params: { path: { id: "1" } }, baseUrl: elsewhere });
    }
    expect(seen.map((request) => request.url)).toEqual(lookalikes.map((u) => `${u}/items/1`));
    for (const request of seen) expect(request.headers.apikey).toBeUndefined();
  });

  it("sends credentials however the strategy spells their names and values", async () => {
    const { fetch, seen } = scriptedFetch(
      json({ id: "1", name: "n" }),
      json({ id: "1", name: "n" }),
    );
    const spellings = [{ ApiKey: " key-123456\t" }, new Headers({ apikey: "key-123456" })];
    let next = 0;
    const client = createApiClient<TestPaths>({
      source: "@mdkit/test",
      baseUrl,
      operations,
      fetch,
      auth: () => spellings[next++],
    });
    await client.GET("/items/{id}", { params: { path: { id: "1" } } });
    await client.GET("/items/{id}", { params: { path: { id: "1" } } });
    expect(seen.map((request) => request.headers.apikey)).toEqual(["key-123456", "key-123456"]);
  });

  it("re-sends once with fresh credentials when the strategy renews them", async () => {
    const { fetch, seen } = scriptedFetch(
      json({ err: "expired" }, 401),
      json({ id: "1", name: "n" }),
    );
    let key = "old-key-0001";
    const client = createApiClient<TestPaths>({
      source: "@mdkit/test",
      baseUrl,
      operations,
      fetch,
      auth: {
        getHeaders: () => ({ apikey: key }),
        refresh: () => {
          key = "new-key-0002";
          return true;
        },
      },
    });
    const item = await unwrap(client.GET("/items/{id}", { params: { path: { id: "1" } } }));
    expect(item.name).toBe("n");
    expect(seen.map((s) => s.headers.apikey)).toEqual(["old-key-0001", "new-key-0002"]);
  });

  it("refuses to re-send a one-shot stream body", async () => {
    const { fetch, seen } = scriptedFetch(json({ err: "expired" }, 401));
    const client = createApiClient<TestPaths>({
      source: "@mdkit/test",
      baseUrl,
      operations,
      fetch,
      auth: { getHeaders: () => ({ apikey: "k-000001" }), refresh: () => true },
    });
    const body = new Blob(["abc"]).stream();
    await expect(client.POST("/upload", { body })).rejects.toBeInstanceOf(ReplayError);
    expect(seen).toHaveLength(1);
  });
});

describe("unwrap", () => {
  it("throws the typed error of the status, naming the operation", async () => {
    const { fetch } = scriptedFetch(json({ err: "Requests resource was not found." }, 404));
    const client = createApiClient<TestPaths>({
      source: "@mdkit/cluster",
      baseUrl,
      operations,
      fetch,
    });
    const error = await unwrap(client.GET("/items/{id}", { params: { path: { id: "42" } } })).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect(isHttpError(error)).toBe(true);
    expect(error.status).toBe(404);
    expect(error.operation).toBe("getItem");
    expect(error.body).toEqual({ err: "Requests resource was not found." });
    expect(error.message).toBe(
      "[@mdkit/cluster] getItem (GET https://api.example.test/v1/items/42) failed with HTTP 404: Requests resource was not found.",
    );
  });

  it("parses Retry-After on 503", async () => {
    const { fetch } = scriptedFetch(
      json({ err: "Server is too busy" }, 503, { "retry-after": "3" }),
    );
    const client = createApiClient<TestPaths>({
      source: "@mdkit/cluster",
      baseUrl,
      operations,
      fetch,
      retry: false,
    });
    const error = await unwrap(client.GET("/items/{id}", { params: { path: { id: "1" } } })).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.retryAfterMs).toBe(3000);
  });

  it("turns a failed connection into a NetworkError with status 0", async () => {
    const fetch = async () => {
      throw new TypeError("fetch failed");
    };
    const client = createApiClient<TestPaths>({
      source: "@mdkit/cluster",
      baseUrl,
      operations,
      fetch,
      retry: false,
    });
    const error = await client
      .GET("/items/{id}", { params: { path: { id: "1" } } })
      .catch((e) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.status).toBe(0);
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it("lets aborts through as AbortError", async () => {
    const client = createApiClient<TestPaths>({ source: "@mdkit/cluster", baseUrl, operations });
    const controller = new AbortController();
    controller.abort();
    const error = await client
      .GET("/items/{id}", { params: { path: { id: "1" } }, signal: controller.signal })
      .catch((e) => e);
    expect(error.name).toBe("AbortError");
  });
});

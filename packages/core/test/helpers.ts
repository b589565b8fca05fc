import type { OperationTable } from "../src/index.js";
import { type ApiClientConfig, createApiClient } from "../src/index.node.js";

/** A recorded request: what the scripted fetch saw. */
export interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A scripted `fetch`: answers each request with the next response of the
 * script (or the last one, repeated) and records what it saw.
 */
export function scriptedFetch(...script: Array<() => Response>) {
  const seen: Seen[] = [];
  let i = 0;
  const fetch = async (request: Request) => {
    seen.push({
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers.entries()),
      body: request.body ? await request.text() : "",
    });
    const next = script[Math.min(i++, script.length - 1)];
    if (!next) throw new Error("empty script");
    return next();
  };
  return { fetch, seen };
}

/** JSON response helper. */
export const json =
  (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json", ...headers },
    });

/** A minimal operation table for a fictional API. */
export const operations: OperationTable = {
  "POST /upload": {
    operationId: "upload",
    method: "POST",
    path: "/upload",
    requestContentTypes: ["application/octet-stream"],
    parseAs: "json",
  },
  "POST /token": {
    operationId: "token",
    method: "POST",
    path: "/token",
    requestContentTypes: ["application/x-www-form-urlencoded"],
    parseAs: "json",
  },
  "GET /items/{id}": {
    operationId: "getItem",
    method: "GET",
    path: "/items/{id}",
    parseAs: "json",
  },
  "GET /download/{id}": {
    operationId: "download",
    method: "GET",
    path: "/download/{id}",
    parseAs: "stream",
  },
};

/** Paths type of the fictional API (hand-written here: no spec exists for it). */
export interface TestPaths {
  "/upload": {
    post: {
      requestBody: {
        content: {
          "application/octet-stream":
            | Blob
            | Uint8Array
            | ReadableStream<Uint8Array>
            | AsyncIterable<Uint8Array>;
        };
      };
      responses: { 200: { content: { "application/json": { id: string } } } };
    };
  };
  "/token": {
    post: {
      requestBody: {
        content: {
          "application/x-www-form-urlencoded": { grant_type: string; client_secret: string };
        };
      };
      responses: { 200: { content: { "application/json": { access_token: string } } } };
    };
  };
  "/items/{id}": {
    get: {
      parameters: { path: { id: string } };
      responses: {
        200: { content: { "application/json": { id: string; name: string } } };
        404: { content: { "application/json": { err: string } } };
      };
    };
  };
  "/download/{id}": {
    get: {
      parameters: { path: { id: string } };
      responses: { 200: { content: { "application/octet-stream": ReadableStream<Uint8Array> } } };
    };
  };
}

/** A client of the fictional API through the Node entry (its `createNodeFetch` transport), retries off. */
export const nodeTestClient = (baseUrl: string, extra: Partial<ApiClientConfig> = {}) =>
  createApiClient<TestPaths>({
    source: "@mdkit/test",
    baseUrl,
    operations,
    retry: false,
    ...extra,
  });

import {
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import type { FetchLike } from "../transport.js";

/** Options of {@link createNodeFetch}. */
export interface NodeFetchOptions {
  /** Keep connections open between requests. Default `true`. */
  keepAlive?: boolean;
  /** Most sockets per origin. Default `Infinity` (concurrency is the caller's to bound). */
  maxSockets?: number;
}

/** A fetch function backed by `node:http`, with its own connection pool. */
export interface NodeFetch extends FetchLike {
  /** Closes pooled connections. */
  close(): void;
}

const NO_BODY_STATUS = new Set([101, 204, 205, 304]);

function decode(response: IncomingMessage): Readable {
  switch (response.headers["content-encoding"]?.toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return response.pipe(createGunzip());
    case "deflate":
      return response.pipe(createInflate());
    case "br":
      return response.pipe(createBrotliDecompress());
    default:
      return response;
  }
}

function toResponse(message: IncomingMessage, method: string): Response {
  const headers = new Headers();
  for (let i = 0; i < message.rawHeaders.length; i += 2) {
    headers.append(message.rawHeaders[i] as string, message.rawHeaders[i + 1] as string);
  }
  const status = message.statusCode ?? 0;
  const empty = NO_BODY_STATUS.has(status) || method === "HEAD";
  if (empty) message.resume();
  else if (headers.has("content-encoding")) {
    // The body handed out is decoded, so its encoding and length no longer apply.
    headers.delete("content-encoding");
    headers.delete("content-length");
  }
  const body = empty ? null : (Readable.toWeb(decode(message)) as ReadableStream<Uint8Array>);
  return new Response(body, { status, statusText: message.statusMessage ?? "", headers });
}

const CHUNK_BYTES = 64 * 1024;

/** Writes one chunk; resolves once the socket took it (so its memory may be reused). */
function write(sink: ClientRequest, chunk: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    sink.write(chunk, (error?: Error | null) => (error ? reject(error) : resolve()));
  });
}

/**
 * Writes a web stream into the request. Byte streams (files, blobs) are read
 * with a BYOB reader into two buffers used in turn, so an upload of any size
 * allocates no per-chunk memory; other streams are read chunk by chunk. Either
 * way the next read waits for the socket, so memory stays bounded.
 */
async function pump(body: ReadableStream<Uint8Array>, sink: ClientRequest) {
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = body.getReader({ mode: "byob" });
  } catch {
    byob = undefined;
  }
  const reader = byob ?? body.getReader();
  try {
    if (byob) {
      const spare = [new ArrayBuffer(CHUNK_BYTES), new ArrayBuffer(CHUNK_BYTES)];
      let pending: Promise<void> = Promise.resolve();
      for (;;) {
        const { value, done } = await byob.read(new Uint8Array(spare.shift() as ArrayBuffer));
        if (done) break;
        await pending;
        pending = write(sink, value).then(() => {
          spare.push(value.buffer as ArrayBuffer);
        });
      }
      await pending;
    } else {
      const plain = reader as ReadableStreamDefaultReader<Uint8Array>;
      for (;;) {
        const { value, done } = await plain.read();
        if (done) break;
        await write(sink, value);
      }
    }
    sink.end();
  } catch (error) {
    await reader.cancel(error).catch(() => {});
    sink.destroy(error as Error);
  } finally {
    reader.releaseLock();
  }
}

/**
 * A `fetch`-compatible transport on `node:http` / `node:https`. Node's
 * built-in `fetch` keeps every chunk of a streamed request body in memory
 * until the request ends; this transport writes the body with back-pressure,
 * so a 1 GiB upload uses a few MB. Redirects are not followed (the mdkit APIs
 * do not redirect, and a followed redirect could carry credentials away).
 *
 * @example
 * ```ts
 * import { createNodeFetch } from "@mdkit/core/node";
 * const cluster = createClusterClient({ baseUrl, auth, fetch: createNodeFetch() });
 * ```
 */
export function createNodeFetch(options: NodeFetchOptions = {}): NodeFetch {
  const agentOptions = {
    keepAlive: options.keepAlive ?? true,
    maxSockets: options.maxSockets ?? Number.POSITIVE_INFINITY,
  };
  const httpAgent = new HttpAgent(agentOptions);
  const httpsAgent = new HttpsAgent(agentOptions);

  const nodeFetch = (request: Request): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(request.url);
      const secure = url.protocol === "https:";
      if (!secure && url.protocol !== "http:") {
        reject(new TypeError(`unsupported protocol ${url.protocol}`));
        return;
      }
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => {
        headers[name] = value;
      });
      const send = secure ? httpsRequest : httpRequest;
      const outgoing = send(url, {
        method: request.method,
        headers,
        agent: secure ? httpsAgent : httpAgent,
        signal: request.signal,
      });
      outgoing.once("response", (message) => resolve(toResponse(message, request.method)));
      outgoing.once("error", reject);
      if (request.body) void pump(request.body, outgoing);
      else outgoing.end();
    });

  return Object.assign(nodeFetch, {
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  });
}

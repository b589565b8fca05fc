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
/** A body of unknown length that ends within this many bytes is sent with a `Content-Length`. */
const SMALL_BODY_BYTES = 1024 * 1024;

/**
 * Reads up to {@link SMALL_BODY_BYTES} of a body whose length is unknown.
 * Small bodies (JSON, forms) come back whole, so they can be sent with a
 * `Content-Length` — some servers and proxies mishandle chunked requests —
 * and larger ones come back as a stream that replays what was read first.
 */
async function measure(
  body: ReadableStream<Uint8Array>,
): Promise<{ whole: Uint8Array } | { stream: ReadableStream<Uint8Array> }> {
  const reader = body.getReader();
  const head: Uint8Array[] = [];
  let size = 0;
  while (size <= SMALL_BODY_BYTES) {
    const { value, done } = await reader.read();
    if (done) {
      const whole = new Uint8Array(size);
      let offset = 0;
      for (const chunk of head) {
        whole.set(chunk, offset);
        offset += chunk.byteLength;
      }
      return { whole };
    }
    head.push(value);
    size += value.byteLength;
  }
  return {
    stream: new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = head.shift();
        if (next) return controller.enqueue(next);
        const { value, done } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    }),
  };
}

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

  const nodeFetch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const secure = url.protocol === "https:";
    if (!secure && url.protocol !== "http:")
      throw new TypeError(`unsupported protocol ${url.protocol}`);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    let body: ReadableStream<Uint8Array> | Uint8Array | null = request.body;
    // As with `fetch`, the body decides the length: a declared length without a body is dropped.
    if (!body) delete headers["content-length"];
    if (body && headers["content-length"] === undefined) {
      const measured = await measure(body);
      if ("whole" in measured) {
        body = measured.whole;
        headers["content-length"] = String(body.byteLength);
      } else {
        body = measured.stream;
      }
    }
    return new Promise<Response>((resolve, reject) => {
      const send = secure ? httpsRequest : httpRequest;
      const outgoing = send(url, {
        method: request.method,
        headers,
        agent: secure ? httpsAgent : httpAgent,
        signal: request.signal,
      });
      // A body shorter or longer than its declared Content-Length fails instead of hanging the server.
      (outgoing as typeof outgoing & { strictContentLength: boolean }).strictContentLength = true;
      outgoing.once("response", (message) => resolve(toResponse(message, request.method)));
      outgoing.once("error", reject);
      if (body instanceof Uint8Array) outgoing.end(body);
      else if (body) void pump(body, outgoing);
      else outgoing.end();
    });
  };

  return Object.assign(nodeFetch, {
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  });
}

import {
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { Socket } from "node:net";
import { pipeline, type Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { armTimer } from "../internal/timer.js";
import { watchBody } from "../internal/watch-body.js";
import { type Clock, systemClock } from "../timing/clock.js";
import { ENFORCES_TIMEOUTS, type FetchLike } from "../transport.js";
import { RequestTimeoutError, type TimeoutPhase } from "../transport-errors.js";
import { readableSource } from "./readable-source.js";

/** Options of {@link createNodeFetch}. Durations in milliseconds. */
export interface NodeFetchOptions {
  /** Keep connections open between requests. Default `true`. */
  keepAlive?: boolean;
  /** Most sockets per origin. Default `Infinity` (concurrency is the caller's to bound). */
  maxSockets?: number;
  /** Longest wait for a connection (DNS, TCP and TLS). Default 10,000. */
  connectTimeoutMs?: number | undefined;
  /**
   * Longest wait for the response headers once the request (body included)
   * is sent — a server that accepts an upload and never answers. Default 60,000.
   */
  headersTimeoutMs?: number | undefined;
  /**
   * Longest time without a byte moving while sending the body or while a
   * read of the response body waits (a stalled or trickling server; a
   * consumer that reads slowly does not count). Default 60,000.
   */
  idleTimeoutMs?: number | undefined;
  /** Time source of the timeouts. Default the system clock. */
  clock?: Clock | undefined;
}

/** A fetch function backed by `node:http`, with its own connection pool and timeouts. */
export interface NodeFetch extends FetchLike {
  /** Closes pooled connections. */
  close(): void;
}

/** Defaults of {@link NodeFetchOptions}' timeouts, ms. */
export const NODE_FETCH_TIMEOUTS = Object.freeze({
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 60_000,
  idleTimeoutMs: 60_000,
});

const NO_BODY_STATUS = new Set([101, 204, 205, 304]);

function decoderOf(encoding: string | undefined) {
  switch (encoding?.toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return createGunzip();
    case "deflate":
      return createInflate();
    case "br":
      return createBrotliDecompress();
    default:
      return undefined;
  }
}

/**
 * The decoded body. `pipeline` (not `pipe`) carries a failure of either side
 * to the other: a connection cut mid-body fails the decoder, and a decoder
 * failing on bad data closes the connection — never a stream left pending.
 */
function decode(response: IncomingMessage): Readable {
  const decoder = decoderOf(response.headers["content-encoding"]);
  if (!decoder) return response;
  pipeline(response, decoder, () => {});
  return decoder;
}

/** A timeout as the error mdkit reports, with the request it cut. */
function timeoutError(request: Request, phase: TimeoutPhase, timeoutMs: number) {
  const what = {
    connect: `no connection within ${timeoutMs} ms`,
    headers: `no response headers within ${timeoutMs} ms of sending the request`,
    idle: `no bytes moved for ${timeoutMs} ms`,
    deadline: `the deadline of ${timeoutMs} ms passed`,
  }[phase];
  return new RequestTimeoutError({
    status: 0,
    request: { method: request.method, url: request.url, headers: request.headers },
    cause: new Error(what),
    phase,
    timeoutMs,
  });
}

function toResponse(
  message: IncomingMessage,
  request: Request,
  timeouts: { idleTimeoutMs: number; clock: Clock },
): Response {
  const method = request.method;
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
  let body: ReadableStream<Uint8Array> | null = null;
  if (!empty) {
    const decoded = decode(message);
    body = watchBody(readableSource(decoded), {
      clock: timeouts.clock,
      idleTimeoutMs: timeouts.idleTimeoutMs,
      idleError: () => {
        const error = timeoutError(request, "idle", timeouts.idleTimeoutMs);
        message.destroy(error);
        return error;
      },
      onEnd: () => {
        if (!message.complete) message.destroy();
      },
    });
  }
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
function write(sink: ClientRequest, chunk: Uint8Array, stall: Stall): Promise<void> {
  const stop = stall.arm();
  return new Promise<void>((resolve, reject) => {
    sink.write(chunk, (error?: Error | null) => (error ? reject(error) : resolve()));
  }).finally(stop);
}

/** Arms the idle timeout of the upload around each write that waits for the socket. */
interface Stall {
  arm(): () => void;
}

/**
 * Writes a web stream into the request. Byte streams (files, blobs) are read
 * with a BYOB reader into two buffers used in turn, so an upload of any size
 * allocates no per-chunk memory; other streams are read chunk by chunk. Either
 * way the next read waits for the socket, so memory stays bounded.
 */
async function pump(body: ReadableStream<Uint8Array>, sink: ClientRequest, stall: Stall) {
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
        pending = write(sink, value, stall).then(() => {
          spare.push(value.buffer as ArrayBuffer);
        });
      }
      await pending;
    } else {
      const plain = reader as ReadableStreamDefaultReader<Uint8Array>;
      for (;;) {
        const { value, done } = await plain.read();
        if (done) break;
        await write(sink, value, stall);
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
 * Nothing waits forever: a connection must be made within `connectTimeoutMs`
 * (10 s), the headers must come within `headersTimeoutMs` (60 s) of the
 * request being sent, and no byte may stall for `idleTimeoutMs` (60 s) while
 * sending or while a read of the body waits. A timeout fails the request (or
 * its body) with a `RequestTimeoutError` naming the phase; the request's
 * signal (a caller's deadline) ends it sooner. A body cut mid-way or bad
 * compressed data fails the body stream, never leaves it pending.
 *
 * @example
 * ```ts
 * import { createNodeFetch } from "@mdkit/core/node";
 * const cluster = createClusterClient({
 *   baseUrl,
 *   auth,
 *   fetch: createNodeFetch({ headersTimeoutMs: 120_000 }),
 * });
 * ```
 */
export function createNodeFetch(options: NodeFetchOptions = {}): NodeFetch {
  const agentOptions = {
    keepAlive: options.keepAlive ?? true,
    maxSockets: options.maxSockets ?? Number.POSITIVE_INFINITY,
  };
  const httpAgent = new HttpAgent(agentOptions);
  const httpsAgent = new HttpsAgent(agentOptions);
  const clock = options.clock ?? systemClock;
  const connectMs = options.connectTimeoutMs ?? NODE_FETCH_TIMEOUTS.connectTimeoutMs;
  const headersMs = options.headersTimeoutMs ?? NODE_FETCH_TIMEOUTS.headersTimeoutMs;
  const idleMs = options.idleTimeoutMs ?? NODE_FETCH_TIMEOUTS.idleTimeoutMs;

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
      const timers = new Set<() => void>();
      const arm = (phase: TimeoutPhase, ms: number) => {
        const stop = armTimer(clock, ms, () => outgoing.destroy(timeoutError(request, phase, ms)));
        timers.add(stop);
        return () => {
          stop();
          timers.delete(stop);
        };
      };
      const clearAll = () => {
        for (const stop of timers) stop();
        timers.clear();
      };
      outgoing.once("socket", (socket: Socket) => {
        if (!socket.connecting) return;
        const stop = arm("connect", connectMs);
        socket.once(secure ? "secureConnect" : "connect", stop);
      });
      // Headers are awaited from the moment the whole request is out.
      outgoing.once("finish", () => arm("headers", headersMs));
      outgoing.once("response", (message) => {
        clearAll();
        resolve(toResponse(message, request, { idleTimeoutMs: idleMs, clock }));
      });
      outgoing.once("error", (error) => {
        clearAll();
        reject(error);
      });
      const stall: Stall = { arm: () => arm("idle", idleMs) };
      if (body instanceof Uint8Array) {
        write(outgoing, body, stall).then(
          () => outgoing.end(),
          () => {},
        );
      } else if (body) void pump(body, outgoing, stall);
      else outgoing.end();
    });
  };

  return Object.assign(nodeFetch, {
    [ENFORCES_TIMEOUTS]: true,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  });
}

import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { Socket } from "node:net";
import { pipeline, type Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { LEAN_REQUEST_CLASS, leanPartsOf } from "../internal/lean-parts.js";
import { PhaseTimer } from "../internal/phase-timer.js";
import { WatchedBody } from "../internal/watch-body.js";
import { type Clock, systemClock } from "../timing/clock.js";
import { ENFORCES_TIMEOUTS, type FetchLike } from "../transport.js";
import { RequestTimeoutError, type TimeoutPhase } from "../transport-errors.js";
import { LeanOrRealRequest } from "./lean-request.js";
import { NodeResponse } from "./node-response.js";
import { outgoingBody, pump, type Stall, send as sendBytes } from "./outgoing-body.js";
import { readableSource } from "./readable-source.js";

const noop = () => {};

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
function decode(response: IncomingMessage, encoding: string | undefined): Readable {
  const decoder = decoderOf(encoding);
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

/** The error of a request cut by its signal, as Node's `http.request({ signal })` makes it. */
function abortError(signal: AbortSignal) {
  return Object.assign(new Error("The operation was aborted", { cause: signal.reason }), {
    name: "AbortError",
    code: "ABORT_ERR",
  });
}

/**
 * The answer as a {@link NodeResponse}: its body (decoded, when compressed)
 * watched with the idle timeout, on the request's own timer.
 */
function toResponse(
  message: IncomingMessage,
  request: Request,
  timeouts: {
    idleTimeoutMs: number;
    clock: Clock;
    timer: PhaseTimer;
    signal: AbortSignal | undefined;
  },
): Response {
  const status = message.statusCode ?? 0;
  const empty = NO_BODY_STATUS.has(status) || request.method === "HEAD";
  const raw = message.rawHeaders;
  let headers: Array<[string, string]> = [];
  let encoding: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    headers.push([name, value]);
    // Repeated, its values join as Node's `message.headers` joins them.
    if (name.length === 16 && name.toLowerCase() === "content-encoding") {
      encoding = encoding === undefined ? value : `${encoding}, ${value}`;
    }
  }
  if (empty) encoding = undefined;
  // The body handed out is decoded, so its encoding and length no longer apply.
  else if (encoding !== undefined) {
    headers = headers.filter(([name]) => !/^content-(?:encoding|length)$/i.test(name));
  }
  const init = { status, statusText: message.statusMessage ?? "", headers };
  if (empty) {
    message.resume();
    timeouts.timer.dispose();
    return new NodeResponse(null, init);
  }
  const body = new WatchedBody(readableSource(decode(message, encoding)), {
    clock: timeouts.clock,
    idleTimeoutMs: timeouts.idleTimeoutMs,
    timer: timeouts.timer,
    // Aborting the request's signal ends its body too, with the signal's reason (as `fetch` does).
    signal: timeouts.signal,
    idleError: () => {
      const error = timeoutError(request, "idle", timeouts.idleTimeoutMs);
      message.destroy(error);
      return error;
    },
    onEnd: () => {
      if (!message.complete) message.destroy();
    },
  });
  return new NodeResponse(body, init);
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
 * Its answers are `Response`s whose whole-body reads (`text()`, `json()`,
 * `arrayBuffer()`...) take the bytes straight from the socket, without a web
 * stream. An mdkit client built on it hands it lighter requests than
 * `Request`s (bodies as given, no copy), with the same outcome on the wire.
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
    const lean = leanPartsOf(request);
    const url = lean?.url ?? new URL(request.url);
    const secure = url.protocol === "https:";
    if (!secure && url.protocol !== "http:")
      throw new TypeError(`unsupported protocol ${url.protocol}`);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const body = await outgoingBody(request, headers);
    // Nothing to abort (a lean request given no signal): no listener at all. Otherwise one
    // listener until the answer, then the body's (http.request's own `signal` costs far more).
    const signal = lean ? lean.signal : request.signal;
    if (signal?.aborted) {
      if (body instanceof ReadableStream) body.cancel(signal.reason).catch(noop);
      throw abortError(signal);
    }
    return new Promise<Response>((resolve, reject) => {
      const send = secure ? httpsRequest : httpRequest;
      const outgoing = send(url, {
        method: request.method,
        headers,
        agent: secure ? httpsAgent : httpAgent,
      });
      const onAbort = () => outgoing.destroy(abortError(signal as AbortSignal));
      signal?.addEventListener("abort", onAbort, { once: true });
      // A body shorter or longer than its declared Content-Length fails instead of hanging the server.
      (outgoing as typeof outgoing & { strictContentLength: boolean }).strictContentLength = true;
      // One timer through the phases: connect, sending, headers, then the body's idle waits.
      const timer = new PhaseTimer(clock, { lazy: true });
      const expire = (phase: TimeoutPhase, ms: number) => () =>
        outgoing.destroy(timeoutError(request, phase, ms));
      const onIdle = expire("idle", idleMs);
      let connecting = false;
      let writing = false;
      let responded = false;
      const stopWriting = () => {
        writing = false;
        if (!connecting && !responded) timer.clear();
      };
      // While connecting, the connect timeout bounds the writes waiting for the socket.
      const stall: Stall = {
        arm() {
          if (responded) return noop;
          writing = true;
          if (!connecting) timer.set(idleMs, onIdle);
          return stopWriting;
        },
      };
      outgoing.once("socket", (socket: Socket) => {
        if (!socket.connecting) return;
        connecting = true;
        timer.set(connectMs, expire("connect", connectMs));
        socket.once(secure ? "secureConnect" : "connect", () => {
          connecting = false;
          if (writing) timer.set(idleMs, onIdle);
          else timer.clear();
        });
      });
      // Headers are awaited from the moment the whole request is out.
      outgoing.once("finish", () => {
        if (!responded) timer.set(headersMs, expire("headers", headersMs));
      });
      outgoing.once("response", (message) => {
        responded = true;
        timer.clear();
        signal?.removeEventListener("abort", onAbort);
        resolve(toResponse(message, request, { idleTimeoutMs: idleMs, clock, timer, signal }));
      });
      outgoing.once("error", (error) => {
        signal?.removeEventListener("abort", onAbort);
        // After the answer, its body has the timer (and learns of the failure itself).
        if (!responded) timer.dispose();
        reject(error);
      });
      if (body instanceof Uint8Array) sendBytes(outgoing, body, stall);
      else if (body) void pump(body, outgoing, stall);
      else outgoing.end();
    });
  };

  return Object.assign(nodeFetch, {
    [ENFORCES_TIMEOUTS]: true,
    [LEAN_REQUEST_CLASS]: LeanOrRealRequest,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  });
}

import { type AuthStrategy, secretsOf } from "./auth.js";
import { createHttpError, type HttpErrorInit, isMdkitError } from "./errors.js";
import { leanPartsOf, signalOf } from "./internal/lean-parts.js";
import { armTimer, raceSignal } from "./internal/timer.js";
import { type BodyLimits, watchBody, watchedBodyOf } from "./internal/watch-body.js";
import type { ParseAs } from "./operations.js";
import { registerSecret } from "./secret-registry.js";
import type { RequestThrottle } from "./throttle.js";
import { type Clock, systemClock } from "./timing/clock.js";
import {
  isDeadlineExceeded,
  MalformedResponseError,
  RequestTimeoutError,
  ResponseTooLargeError,
  type TimeoutPhase,
} from "./transport-errors.js";

/** The `fetch` signature mdkit needs: a Request in, a Response out. */
export type FetchLike = (request: Request) => Promise<Response>;

/**
 * Marks a {@link FetchLike} that enforces its own connect, headers and idle
 * timeouts (as `createNodeFetch` does), so the transport adds none on top.
 */
export const ENFORCES_TIMEOUTS = Symbol.for("@mdkit/enforces-timeouts");

/** What one call through the transport learned, for error reporting. */
export interface CallContext {
  /** Package that owns the client, for error prefixes. */
  source: string;
  /** operationId, when the call matched one. */
  operation: string | undefined;
  /** Credential values sent with the call, so errors can scrub them. */
  secrets: Set<string>;
  /** The last request sent (headers as sent, before redaction). */
  request?: { method: string; url: string; headers: Headers };
  /** How a successful body is read: bodies read into memory (all but `stream`) are size-limited. */
  parseAs?: ParseAs | undefined;
  /** Called once a body handed out as a stream has ended, failed or been cancelled. */
  bodyEnded?: (() => void) | undefined;
}

/** Default of `maxBodyBytes`: 16 MiB, far above the largest page the two APIs send. */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Options of {@link createTransport}. Durations in milliseconds. */
export interface TransportOptions {
  /** The API's base URL; credentials are only attached to requests for its origin. */
  baseUrl: string;
  /** The underlying fetch. Defaults to `globalThis.fetch`. */
  fetch?: FetchLike | undefined;
  /** Credentials, applied on every attempt. */
  auth?: AuthStrategy | undefined;
  /**
   * Longest wait for the headers of a request without a body, when `fetch`
   * does not enforce timeouts of its own (the global `fetch`, an injected
   * one). Default 60,000.
   */
  headersTimeoutMs?: number | undefined;
  /** Longest a read of a response body may wait for bytes, under the same condition. Default 60,000. */
  idleTimeoutMs?: number | undefined;
  /**
   * Largest body read into memory (JSON, text, error bodies), bytes after
   * decompression; more fails with `ResponseTooLargeError`. Streamed bodies
   * are not limited. Default 16 MiB.
   */
  maxBodyBytes?: number | undefined;
  /** Time source of the timeouts. Default the system clock. */
  clock?: Clock | undefined;
  /** Paces the requests (asked before each attempt, told how it ended). Default: none. */
  throttle?: RequestThrottle | undefined;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}

/** zlib's codes for compressed data that cannot be decoded. */
const UNDECODABLE = new Set(["Z_DATA_ERROR", "Z_NEED_DICT", "ERR_BROTLI_DECOMPRESSION_FAILED"]);

/**
 * The bottom of every client: signs each attempt with fresh credentials
 * (only for the API's own origin, so a redirect or an absolute URL elsewhere
 * never receives them), waits for the client's throttle (if any), bounds
 * the wait for headers and for body bytes,
 * limits bodies read into memory, and turns every failure — network, timeout,
 * deadline, a body cut mid-way, undecodable compressed data — into a typed,
 * redacted error. A caller's abort is re-thrown as it is.
 * @internal The transport under {@link createApiClient}, shared by the mdkit
 * packages; not a stable API: build clients with `createApiClient`.
 */
export function createTransport(options: TransportOptions) {
  const origin = new URL(options.baseUrl).origin;
  const fetchImpl: FetchLike = options.fetch ?? ((request) => globalThis.fetch(request));
  const ownTimeouts = (fetchImpl as { [ENFORCES_TIMEOUTS]?: boolean })[ENFORCES_TIMEOUTS] === true;
  const clock = options.clock ?? systemClock;
  const headersMs = options.headersTimeoutMs ?? 60_000;
  const idleMs = ownTimeouts ? undefined : (options.idleTimeoutMs ?? 60_000);
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  return async function send(request: Request, context: CallContext): Promise<Response> {
    if (options.auth && sameOrigin(request.url, origin)) {
      const headers = await options.auth.getHeaders(request);
      for (const name of Object.keys(headers)) request.headers.set(name, headers[name] as string);
      for (const secret of secretsOf(headers)) {
        context.secrets.add(secret);
        registerSecret(secret);
      }
    }
    context.request = { method: request.method, url: request.url, headers: request.headers };
    // Built only when something fails: most attempts never need them.
    let built: ReturnType<typeof errorsOf> | undefined;
    const errors = () => {
      built ??= errorsOf(context);
      return built;
    };
    // A lean request may have no signal: then nothing can abort it.
    let signal = signalOf(request);
    const release = await options.throttle
      // A throttle is promised a signal: one that never aborts when the request has none.
      ?.acquire(context.operation, signal ?? new AbortController().signal)
      .catch((error: unknown) => Promise.reject(errors().ofRequest(error, signal)));
    let attempt = request;
    let stopHeaders: (() => void) | undefined;
    if (!ownTimeouts && !request.body) {
      // The portable path cannot see when an upload ends, so only body-less requests get one.
      const timeout = new AbortController();
      signal = AbortSignal.any([request.signal, timeout.signal]);
      attempt = new Request(request, { signal });
      stopHeaders = armTimer(clock, headersMs, () =>
        timeout.abort(errors().timeout("headers", headersMs, "no response headers")),
      );
    }
    let response: Response;
    try {
      const pending = fetchImpl(attempt);
      // The Node transport ends a lean request on its signal itself; any other fetch is raced.
      response = await (signal && !leanPartsOf(attempt) ? raceSignal(pending, signal) : pending);
    } catch (error) {
      release?.();
      throw errors().ofRequest(error, signal);
    } finally {
      stopHeaders?.();
    }
    release?.(response);
    const buffered = context.parseAs !== "stream" || !response.ok;
    const limit = buffered ? maxBytes : undefined;
    // The Node transport's body, watched already: limits join it in place, its stream untouched.
    const watched = watchedBodyOf(response);
    if (watched === null || (watched === undefined && !response.body)) {
      context.bodyEnded?.();
      return response;
    }
    const declared = Number(response.headers.get("content-length") ?? Number.NaN);
    if (limit !== undefined && !response.headers.has("content-encoding") && declared > limit) {
      await (watched ? watched.cancel() : response.body?.cancel())?.catch(() => {});
      throw errors().tooLarge(response, limit);
    }
    const limits: BodyLimits = {
      maxBytes: limit,
      limitError: (bytes) => errors().tooLarge(response, bytes),
      mapError: (error) => errors().ofBody(error, signal, response),
      signal,
      onEnd: () => context.bodyEnded?.(),
    };
    if (idleMs === undefined && watched?.addLimits(limits)) return response;
    const body = watchBody(response.body as ReadableStream<Uint8Array>, {
      ...limits,
      clock,
      idleTimeoutMs: idleMs,
      idleError: () => errors().timeout("idle", idleMs ?? 0, "no bytes of the body arrived"),
    });
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/**
 * Whether `url` (as `Request.url` serialises it) is on `origin`: the
 * serialised origin followed by the path's `/`. A URL spelled any other way
 * for the same origin (with user info, say) counts as another origin, which
 * only ever withholds credentials.
 */
function sameOrigin(url: string, origin: string): boolean {
  return url.startsWith(origin) && url.charCodeAt(origin.length) === 47;
}

/** The typed errors of one attempt, each carrying its redacted request and secrets. */
function errorsOf(context: CallContext) {
  const base = (): HttpErrorInit => ({
    status: 0,
    source: context.source,
    operation: context.operation,
    request: context.request ?? { method: "?", url: "" },
    secrets: context.secrets,
  });
  const timeout = (phase: TimeoutPhase, timeoutMs: number, what: string, cause?: unknown) =>
    new RequestTimeoutError({
      ...base(),
      cause: cause ?? new Error(`${what} within ${timeoutMs} ms`),
      phase,
      timeoutMs,
    });
  /** An error the transport (or an abort) raised, with this call's context. */
  const known = (error: unknown, signal: AbortSignal | undefined): unknown => {
    const reason = signal?.aborted ? signal.reason : undefined;
    if (isDeadlineExceeded(reason)) {
      return timeout("deadline", reason.timeoutMs, "the deadline passed", reason);
    }
    const timedOut = reason instanceof RequestTimeoutError ? reason : error;
    if (timedOut instanceof RequestTimeoutError) {
      return timedOut.source === context.source
        ? timedOut
        : timeout(timedOut.phase, timedOut.timeoutMs, "", timedOut.cause);
    }
    if (signal?.aborted && !isMdkitError(error)) return isAbort(error) ? error : reason;
    return undefined;
  };
  return {
    timeout,
    tooLarge: (response: Response, limitBytes: number) =>
      new ResponseTooLargeError({
        ...base(),
        status: response.status,
        response,
        limitBytes,
        hint: `the body is over ${limitBytes} bytes after decompression; raise the client's maxBodyBytes if it is legitimate`,
      }),
    /** A failure before the response arrived. */
    ofRequest(error: unknown, signal: AbortSignal | undefined): unknown {
      const typed = known(error, signal);
      if (typed !== undefined) return typed;
      if (isAbort(error)) return error;
      // One of mdkit's own errors from the request's body (a file that changed while it was
      // sent): about the input, not the network, so it is neither retried nor re-labelled.
      if (isMdkitError(error)) return error;
      return createHttpError({ ...base(), cause: error });
    },
    /** A failure while the body was read. */
    ofBody(error: unknown, signal: AbortSignal | undefined, response: Response): unknown {
      const typed = known(error, signal);
      if (typed !== undefined) return typed;
      if (isMdkitError(error)) return error;
      const code = (error as { code?: unknown } | undefined)?.code;
      if (typeof code === "string" && UNDECODABLE.has(code)) {
        return new MalformedResponseError({
          ...base(),
          status: response.status,
          response,
          cause: error,
          hint: `its ${response.headers.get("content-encoding") ?? "compressed"} body cannot be decoded`,
        });
      }
      return createHttpError({
        ...base(),
        cause: error,
        hint: `the connection broke off while the HTTP ${response.status} body was read`,
      });
    },
  };
}

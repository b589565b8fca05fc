import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import { type AuthOption, toAuthStrategy } from "./auth.js";
import { isBinaryBody, isReplayableBody } from "./binary.js";
import { serializeBody } from "./body-serializer.js";
import { ConfigurationError } from "./errors.js";
import { runCallLoop } from "./internal/call-loop.js";
import { leanRequestClassOf } from "./internal/lean-mark.js";
import { parseBody } from "./internal/parse-body.js";
import type { OperationTable, ParseAs } from "./operations.js";
import { RetryBudget } from "./retry/budget.js";
import { type RetryOptions, resolveRetryOptions } from "./retry/options.js";
import type { RequestThrottle } from "./throttle.js";
import { type Clock, systemClock } from "./timing/clock.js";
import { createDeadline, signalDeadline } from "./timing/deadline.js";
import { type CallContext, createTransport, type FetchLike } from "./transport.js";

/** Options shared by every mdkit API client factory. */
export interface BaseClientOptions {
  /** Credentials: an `@mdkit/auth` strategy, or a function returning headers. */
  auth?: AuthOption | undefined;
  /** The transport. Defaults to `globalThis.fetch`; inject one in tests or to tunnel. */
  fetch?: FetchLike | undefined;
  /** Headers sent with every request (credentials belong in `auth`, not here). */
  headers?: Record<string, string> | undefined;
  /**
   * Deadline of every call, ms: its attempts, its retry waits and the reading
   * of its body all end by then (a `RequestTimeoutError` with phase
   * `deadline`). Override per call with `timeoutMs`. Default: none — the
   * per-request timeouts and the bounded retries still end every call.
   */
  timeoutMs?: number | undefined;
  /**
   * How failed attempts are retried (429, 503, 502, 504, network failures;
   * see `decideRetry`); `false` turns retries off. Override per call
   * with `retry`. Default: the {@link RetryOptions} defaults, with a retry budget.
   */
  retry?: RetryOptions | false | undefined;
  /**
   * Longest wait for response headers, ms, once the request is sent. With the
   * Node entry's default transport it bounds every request; with another
   * `fetch` (the global one, an injected one) only requests without a body
   * (an upload's end cannot be seen there). A `fetch` from `createNodeFetch`
   * keeps its own setting. Default 60,000.
   */
  headersTimeoutMs?: number | undefined;
  /**
   * Longest time without a byte, ms: while a read of the response body
   * waits, and with the Node transport while the request body is sent.
   * Same scope as `headersTimeoutMs`. Default 60,000.
   */
  idleTimeoutMs?: number | undefined;
  /** Longest wait for a connection, ms (Node entry's default transport only). Default 10,000. */
  connectTimeoutMs?: number | undefined;
  /**
   * Largest response body read into memory (JSON, text, error bodies),
   * bytes after decompression: more fails with `ResponseTooLargeError`
   * instead of exhausting memory. Streamed bodies (downloads, report
   * details) are not limited. Default 16 MiB (16,777,216).
   */
  maxBodyBytes?: number | undefined;
  /** Time source of retry waits, deadlines and timeouts (inject a manual clock in tests). Default: the system clock. */
  clock?: Clock | undefined;
}

/** Options every call of an mdkit client accepts besides openapi-fetch's. */
export interface CallOptions {
  /** This call's retry settings over the client's, field by field; `false`: no retries for this call. */
  retry?: RetryOptions | false | undefined;
  /** This call's deadline, ms (instead of the client's `timeoutMs`). */
  timeoutMs?: number | undefined;
}

/** Everything {@link createApiClient} needs: the spec's operation table and where to send. */
export interface ApiClientConfig extends BaseClientOptions {
  /** Package name used as the error prefix, e.g. `@mdkit/cluster`. */
  source: string;
  /** Absolute base URL of the API. */
  baseUrl: string;
  /** Generated operation table of the spec. */
  operations: OperationTable;
  /**
   * operationIds of operations that only read although their method is POST
   * (report queries, token requests): retried after a network failure like a GET.
   */
  idempotentOperations?: readonly string[] | undefined;
  /**
   * Paces every request of the client (e.g. to a server's announced rate
   * limit): asked before each attempt, told how it ended. Default: none.
   */
  throttle?: RequestThrottle | undefined;
  /**
   * Read JSON strictly: a duplicate key (`{"a":1,"a":0}`, which `JSON.parse`
   * reads as its last value) fails with `MalformedResponseError`. Default false.
   */
  strictJson?: boolean | undefined;
}

const CALL_CONTEXT = Symbol.for("@mdkit/call-context");

/**
 * The request context recorded on a result, for {@link unwrap}.
 * @internal Shared by the mdkit packages (it carries the call's secrets for
 * redaction); not a stable API.
 */
export function callContextOf(result: object): CallContext | undefined {
  return (result as Record<symbol, CallContext | undefined>)[CALL_CONTEXT];
}

type Method = "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE";
const METHODS: readonly Method[] = [
  "GET",
  "PUT",
  "POST",
  "DELETE",
  "OPTIONS",
  "HEAD",
  "PATCH",
  "TRACE",
];

interface CallInit {
  body?: unknown;
  headers?: HeadersInit | Record<string, unknown>;
  parseAs?: string;
  [key: string]: unknown;
}

/**
 * Builds a typed, non-throwing openapi-fetch client for one spec. On top of
 * openapi-fetch it:
 * - sets each operation's request media type and response reading (`parseAs`),
 *   so binary uploads and downloads need no per-call options;
 * - passes binary bodies through untouched (no JSON, no copy);
 * - applies credentials on every attempt, only to the API's own origin;
 * - on 401/403 (and 400/405, which the gateway also uses for an expired
 *   session), lets the auth strategy renew credentials and re-sends once,
 *   refusing with `ReplayError` when the body was a one-shot stream;
 * - retries what is safe to retry (see `decideRetry`) within a retry
 *   budget, never past the call's deadline, never re-sending a one-shot body;
 * - throws a redacted `NetworkError` when no response arrives.
 *
 * HTTP errors are returned as `{ error, response }`; {@link unwrap} turns
 * them into typed exceptions.
 *
 * @example
 * ```ts
 * // How @mdkit/cluster builds its client: the types and the operation table
 * // are generated from the spec by `pnpm generate`.
 * import { createApiClient } from "@mdkit/core";
 * import type { paths } from "./generated/openapi.js";
 * import { operations } from "./generated/operations.js";
 *
 * const client = createApiClient<paths>({
 *   source: "@mdkit/cluster",
 *   baseUrl: "https://gateway.example",
 *   operations,
 *   auth: () => ({ apikey: process.env.MDKIT_APIKEY ?? "" }),
 *   timeoutMs: 30_000,
 * });
 * const { data, error } = await client.GET("/file/rules");
 * ```
 */
export function createApiClient<Paths extends {}>(config: ApiClientConfig): Client<Paths> {
  const baseUrl = validateBaseUrl(config.baseUrl, config.source);
  const auth = config.auth ? toAuthStrategy(config.auth) : undefined;
  const clock = config.clock ?? systemClock;
  const transport = createTransport({
    baseUrl,
    fetch: config.fetch,
    auth,
    clock,
    headersTimeoutMs: config.headersTimeoutMs,
    idleTimeoutMs: config.idleTimeoutMs,
    maxBodyBytes: config.maxBodyBytes,
    throttle: config.throttle,
  });
  const strictJson = config.strictJson === true;
  // The Node transport takes requests that skip what a `Request` costs (copies, streams, signals).
  const leanRequestClass = leanRequestClassOf(config.fetch);
  const inner = createClient<Paths>({
    baseUrl,
    headers: config.headers,
    bodySerializer: serializeBody,
    // Node's fetch requires `duplex: "half"` for streamed request bodies.
    duplex: "half",
    // Never follow redirects: a followed redirect to another origin would carry
    // custom credential headers (`apikey`) along. The mdkit APIs do not
    // redirect; a 3xx is returned (and `unwrap` reports it) instead.
    redirect: "manual",
  } as ClientOptions);
  // Middleware sees and may rebuild the request (`new Request(request, ...)`): once a
  // client has any, its calls get real Requests, as do calls with middleware of their own.
  let middleware = false;
  const innerRequest = inner.request as unknown as (
    method: string,
    path: string,
    init: CallInit,
  ) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

  const budget =
    config.retry !== false && config.retry?.budget !== false
      ? new RetryBudget(config.retry?.budget || undefined)
      : undefined;
  const readOnly = new Set(config.idempotentOperations ?? []);
  // Resolved once per client: most calls have no retry options of their own.
  const retryByDefault = config.retry === false ? undefined : resolveRetryOptions(config.retry);
  const retryReadOnly =
    config.retry === false ? undefined : resolveRetryOptions(config.retry, { idempotent: true });

  async function call(method: Method, path: string, init: CallInit = {}) {
    const { retry: callRetry, timeoutMs: callTimeoutMs, ...rest } = init as CallInit & CallOptions;
    const op = config.operations[`${method} ${path}`];
    const contentType = chooseContentType(op?.requestContentTypes, rest.body);
    // A GET without headers of its own (most calls) builds no Headers here; openapi-fetch merges.
    const headers =
      contentType || rest.headers !== undefined
        ? new Headers(rest.headers as HeadersInit | undefined)
        : undefined;
    if (contentType && !headers?.has("content-type")) headers?.set("content-type", contentType);
    const what = op?.operationId ?? `${method} ${path}`;
    const parseAs = (rest.parseAs as ParseAs | undefined) ?? op?.parseAs ?? "json";
    const timeoutMs = callTimeoutMs ?? config.timeoutMs;
    const signal = rest.signal as AbortSignal | undefined;
    const leanCall =
      leanRequestClass !== undefined &&
      !middleware &&
      !(rest.middleware as unknown[] | undefined)?.length;
    // Without a timeout or a signal nothing can end the call early: no deadline to build.
    // With a signal alone, a lean request heeds the caller's signal itself (every
    // listener it adds is removed when it ends): no signal of the call's own either.
    const deadline =
      timeoutMs === undefined && signal && leanCall
        ? signalDeadline(signal, clock)
        : timeoutMs !== undefined || signal
          ? createDeadline({ timeoutMs, signal, clock, source: config.source, what })
          : undefined;
    const retry =
      config.retry === false || callRetry === false
        ? undefined
        : callRetry === undefined
          ? readOnly.has(what)
            ? retryReadOnly
            : retryByDefault
          : resolveRetryOptions(config.retry, {
              ...callRetry,
              idempotent: callRetry.idempotent ?? (readOnly.has(what) ? true : undefined),
            });
    let streaming = false;
    try {
      const { result, context } = await runCallLoop({
        source: config.source,
        operation: op?.operationId,
        method,
        replayable: isReplayableBody(rest.body),
        auth,
        retry,
        budget,
        clock,
        deadline,
        async attempt(context) {
          let sent: Request | undefined;
          context.parseAs = parseAs;
          // The body of a success is read here, within the attempt, so that a
          // failure while reading it is retried (when safe) and typed. JSON is
          // read as text and parsed here (strictly when asked; typed when not JSON).
          const result = await innerRequest(method, path, {
            ...rest,
            ...(leanCall ? { Request: leanRequestClass } : {}),
            parseAs: parseAs === "json" ? "text" : parseAs,
            headers,
            signal: deadline?.signal,
            fetch: (request: Request) => {
              sent = request;
              return transport(request, context);
            },
          });
          if (result.response.ok && parseAs === "json" && result.data !== undefined) {
            result.data = parseBody(result.data as string, result.response, strictJson, context);
          }
          return { result, sent };
        },
      });
      // A streamed body keeps the call's deadline (and the caller's signal) until it ends.
      streaming = parseAs === "stream" && result.data instanceof ReadableStream;
      if (streaming) context.bodyEnded = () => deadline?.dispose();
      Object.defineProperty(result, CALL_CONTEXT, { value: context, enumerable: false });
      return result;
    } finally {
      if (!streaming) deadline?.dispose();
    }
  }

  const client = { ...inner } as unknown as Record<string, unknown>;
  client.use = (...added: Parameters<typeof inner.use>) => {
    middleware = true;
    inner.use(...added);
  };
  for (const method of METHODS) {
    client[method] = (path: string, init?: CallInit) => call(method, path, init);
  }
  client.request = (method: string, path: string, init?: CallInit) =>
    call(method.toUpperCase() as Method, path, init);
  return client as unknown as Client<Paths>;
}

/**
 * The media type to send a body as: the operation's binary type for binary
 * bodies, its text type for strings, otherwise the first it declares.
 */
function chooseContentType(
  types: readonly string[] | undefined,
  body: unknown,
): string | undefined {
  if (!types?.length || body === undefined) return undefined;
  if (isBinaryBody(body)) {
    return types.find((t) => t === "application/octet-stream") ?? types[0];
  }
  if (typeof body === "string") return types.find((t) => t.startsWith("text/")) ?? types[0];
  return types[0];
}

/**
 * Checks that a base URL is absolute http(s) and carries no credentials.
 *
 * @example
 * ```ts
 * validateBaseUrl("https://gateway.example/", "@my/app"); // "https://gateway.example"
 * validateBaseUrl("https://user:pw@gateway.example", "@my/app");
 * // throws ConfigurationError: credentials go through `auth`, never in the URL
 * ```
 */
export function validateBaseUrl(value: unknown, source: string): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new ConfigurationError("baseUrl must be an absolute http(s) URL", { source });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigurationError(`baseUrl must use http or https, not ${url.protocol}`, { source });
  }
  if (url.username || url.password) {
    throw new ConfigurationError(
      "baseUrl must not contain a user name or password; pass credentials through `auth`",
      {
        source,
      },
    );
  }
  return url.toString().replace(/\/+$/, "");
}

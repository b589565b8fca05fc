import { redactCause } from "./internal/redact-cause.js";
import { REDACTED, redactHeaders, redactText, redactUrl, redactValue } from "./redact.js";
import { rateLimitResetDelay } from "./retry/rate-limit-headers.js";

const MDKIT_ERROR = Symbol.for("@mdkit/error");
const HTTP_ERROR = Symbol.for("@mdkit/http-error");
const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * The secrets each error was given explicitly, kept outside the error so
 * that no rendering (not even `util.inspect` with `showHidden`) can show them.
 */
const EXPLICIT_SECRETS = new WeakMap<object, readonly string[]>();

/** Options common to every mdkit error. */
export interface MdkitErrorOptions {
  /** The package that raised the error, e.g. `@mdkit/cluster`. Used as the message prefix. */
  source?: string;
  /**
   * The underlying error, if any. An mdkit error is kept as it is; any other
   * error is replaced by a redacted copy (same built-in class, name and
   * `code`; message, stack, fields and its own causes redacted).
   */
  cause?: unknown;
  /**
   * Secret values to scrub, whatever field they appear in, besides every
   * secret registered with `registerSecret` (which is always scrubbed).
   */
  secrets?: Iterable<string>;
}

/**
 * Base class of every error mdkit throws. The message starts with the
 * package that raised it (`[@mdkit/cluster] ...`) and never contains a
 * credential: the message and cause are redacted at construction (every
 * registered secret and the secrets passed in, in every encoding), and
 * `toJSON` and `util.inspect` (also with `showHidden`, i.e.
 * `util.format("%o", err)`) redact once more as they render, so fields a
 * subclass sets after construction are covered too.
 *
 * @example
 * ```ts
 * try { await unwrap(client.GET("/file/rules")) }
 * catch (e) { if (isMdkitError(e)) console.error(e.message) }
 * ```
 */
export class MdkitError extends Error {
  /** The package that raised the error. */
  readonly source: string;

  constructor(message: string, options: MdkitErrorOptions = {}) {
    const source = options.source ?? "@mdkit/core";
    const secrets = [...(options.secrets ?? [])];
    super(
      `[${source}] ${redactText(message, secrets)}`,
      options.cause === undefined ? undefined : { cause: redactCause(options.cause, secrets) },
    );
    this.name = new.target.name;
    this.source = source;
    EXPLICIT_SECRETS.set(this, secrets);
    Object.defineProperty(this, MDKIT_ERROR, { value: true });
  }

  /** A JSON form safe to log: name, message, source, and the subclass's public fields, redacted. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) out[key] = value;
    return redactValue(out, EXPLICIT_SECRETS.get(this)) as Record<string, unknown>;
  }

  /** Node's `util.inspect` (and `console.log`, `%o`): the usual rendering, redacted. */
  [INSPECT](
    depth: number | null,
    options: Record<string, unknown>,
    inspect?: (value: unknown, options: Record<string, unknown>) => string,
  ): string {
    // Runtimes that do not pass Node's `inspect` get the stack, which starts with the message.
    const text = inspect
      ? inspect(this, { ...options, depth, customInspect: false })
      : (this.stack ?? String(this));
    return redactText(text, EXPLICIT_SECRETS.get(this));
  }
}

/**
 * Whether `value` is an error raised by mdkit (checked by brand, not by shape).
 *
 * @example
 * ```ts
 * try {
 *   await scanFile(cluster, fromPath("report.pdf"));
 * } catch (error) {
 *   // An mdkit error names its package and is already redacted: safe to log as it is.
 *   if (isMdkitError(error)) console.error(error.message);
 *   else throw error;
 * }
 * ```
 */
export function isMdkitError(value: unknown): value is MdkitError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<symbol, unknown>)[MDKIT_ERROR] === true
  );
}

/** The request an {@link HttpError} is about, with credentials redacted. */
export interface RedactedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
}

/** Context an {@link HttpError} is built from. */
export interface HttpErrorInit extends MdkitErrorOptions {
  /** HTTP status; 0 when no response arrived. */
  status: number;
  /** The operationId from the spec, e.g. `analyzeFile`. */
  operation?: string | undefined;
  /** The request that failed. Its credentials are redacted on the way in. */
  request: { method: string; url: string; headers?: Headers | Record<string, string> };
  /** The response, when there was one. */
  response?: Response | undefined;
  /** The parsed response body (JSON if it parsed, otherwise text). */
  body?: unknown;
  /** What the caller can do about it, appended to the message. */
  hint?: string | undefined;
}

/** Raw responses of HTTP errors, kept off the errors themselves (see {@link HttpError.response}). */
const RESPONSES = new WeakMap<object, Response>();

/**
 * An HTTP call that did not succeed. Subclasses exist for each status
 * family and for the statuses the two APIs give a meaning to; `status` is 0
 * for a network failure ({@link NetworkError}).
 *
 * Headers, body and URL are redacted copies. The raw `response` is reachable
 * through a getter on the class, not stored on the error, so it never shows
 * up in `JSON.stringify` or `util.inspect` (not even with `showHidden`).
 */
export class HttpError extends MdkitError {
  /** HTTP status code, or 0 when no response arrived. */
  readonly status: number;
  /** operationId of the call, when known. */
  readonly operation: string | undefined;
  /** The request, credentials redacted. */
  readonly request: RedactedRequest;
  /** Response headers, credentials redacted. */
  readonly headers: Record<string, string>;
  /** Parsed response body, credentials redacted. */
  readonly body: unknown;

  constructor(init: HttpErrorInit) {
    const secrets = [...(init.secrets ?? [])];
    super(describe(init), { ...init, secrets });
    this.status = init.status;
    this.operation = init.operation;
    this.request = {
      method: init.request.method,
      url: redactUrl(init.request.url, secrets),
      headers: redactHeaders(init.request.headers, secrets),
    };
    this.headers = redactHeaders(init.response?.headers, secrets);
    this.body = redactValue(init.body, secrets);
    if (init.response) RESPONSES.set(this, init.response);
    Object.defineProperty(this, HTTP_ERROR, { value: true });
  }

  /**
   * The raw response, when there was one (its body has been read). Not
   * redacted: never log it; use `headers` and `body` instead.
   */
  get response(): Response | undefined {
    return RESPONSES.get(this);
  }
}

function describe(init: HttpErrorInit): string {
  const what = init.operation ?? "request";
  const target = `${init.request.method} ${redactUrl(init.request.url, init.secrets ?? [])}`;
  if (init.status === 0) {
    const reason = init.cause instanceof Error ? `: ${init.cause.message}` : "";
    return `${what} (${target}) failed before a response arrived${reason}${init.hint ? ` (${init.hint})` : ""}`;
  }
  const detail = bodyDetail(init.body);
  const statusText = init.response?.statusText ? ` ${init.response.statusText}` : "";
  const hint = init.hint ? ` (${init.hint})` : "";
  return `${what} (${target}) failed with HTTP ${init.status}${statusText}${detail ? `: ${detail}` : ""}${hint}`;
}

/** The human part of an error body: `err`, `error_description`, `message` or `error`. */
function bodyDetail(body: unknown): string {
  if (typeof body === "string") return body.slice(0, 200);
  if (body && typeof body === "object") {
    const b = body as Record<string, unknown>;
    for (const key of ["err", "error_description", "message", "error", "detail", "title"]) {
      const v = b[key];
      if (typeof v === "string" && v) return v.slice(0, 200);
    }
  }
  return "";
}

/**
 * Whether `value` is an {@link HttpError} (checked by brand, not by shape).
 *
 * @example
 * ```ts
 * try {
 *   await unwrap(cluster.GET("/file/{data_id}", { params: { path: { data_id: dataId } } }));
 * } catch (error) {
 *   if (isHttpError(error) && error.status === 403) console.error("the apikey was refused");
 *   else throw error;
 * }
 * ```
 */
export function isHttpError(value: unknown): value is HttpError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<symbol, unknown>)[HTTP_ERROR] === true
  );
}

/** No response arrived: connection refused or reset, DNS failure, TLS error. `status` is 0. */
export class NetworkError extends HttpError {}
/** A 4xx answer: the request was wrong and repeating it unchanged will not help. */
export class ClientError extends HttpError {}
/** 400: the server rejected a header, parameter or body. */
export class BadRequestError extends ClientError {}
/** 401: missing, expired or revoked credentials. */
export class AuthenticationError extends ClientError {}
/** 403: the credentials are valid but not allowed to do this (or, on the gateway, invalid). */
export class PermissionDeniedError extends ClientError {}
/** 404: the resource does not exist. */
export class NotFoundError extends ClientError {}
/** 405: the user has no rights for this operation. */
export class MethodNotAllowedError extends ClientError {}
/** 411: the upload had no `Content-Length` (the gateway refuses chunked uploads). */
export class LengthRequiredError extends ClientError {}
/** 422: the body was empty or did not validate. */
export class UnprocessableEntityError extends ClientError {}
/** 429: too many requests; `retryAfterMs` says when to try again, if the server said. */
export class RateLimitError extends ClientError {
  /** Delay the server asked for, in milliseconds, from `Retry-After` (or else `X-RateLimit-Reset`). */
  readonly retryAfterMs: number | undefined;
  constructor(init: HttpErrorInit) {
    super(init);
    const headers = init.response?.headers;
    const now = Date.now();
    this.retryAfterMs =
      parseRetryAfter(headers?.get("retry-after"), now) ??
      (headers ? rateLimitResetDelay(headers, now) : undefined);
  }
}
/** A 5xx answer: the server failed. */
export class ServerError extends HttpError {}
/** 500: an unexpected event on the server. */
export class InternalServerError extends ServerError {}
/** 503: the server is too busy; slow down and try again later. */
export class ServiceUnavailableError extends ServerError {
  /** Delay the server asked for, in milliseconds, from `Retry-After`. */
  readonly retryAfterMs: number | undefined;
  constructor(init: HttpErrorInit) {
    super(init);
    this.retryAfterMs = parseRetryAfter(init.response?.headers.get("retry-after"));
  }
}

const BY_STATUS: Record<number, new (init: HttpErrorInit) => HttpError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  405: MethodNotAllowedError,
  411: LengthRequiredError,
  422: UnprocessableEntityError,
  429: RateLimitError,
  500: InternalServerError,
  503: ServiceUnavailableError,
};

/**
 * Builds the most specific {@link HttpError} subclass for a status.
 *
 * @example
 * ```ts
 * const error = createHttpError({
 *   status: 503,
 *   operation: "analyzeFile",
 *   request: { method: "POST", url: "https://gateway.example/file" },
 * });
 * error instanceof ServiceUnavailableError; // true
 * error.message; // "[@mdkit/core] analyzeFile (POST https://gateway.example/file) failed with HTTP 503"
 * ```
 */
export function createHttpError(init: HttpErrorInit): HttpError {
  const Specific = BY_STATUS[init.status];
  if (Specific) return new Specific(init);
  if (init.status === 0) return new NetworkError(init);
  if (init.status >= 500) return new ServerError(init);
  if (init.status >= 400) return new ClientError(init);
  return new HttpError(init);
}

/**
 * Parses `Retry-After` (delay-seconds or an HTTP date) into milliseconds.
 * Returns `undefined` when absent or unparsable; never negative.
 *
 * @example
 * ```ts
 * parseRetryAfter("120"); // 120000
 * parseRetryAfter("Wed, 21 Oct 2026 07:28:30 GMT", Date.parse("Wed, 21 Oct 2026 07:28:00 GMT")); // 30000
 * parseRetryAfter("soon"); // undefined
 * parseRetryAfter(null); // undefined
 * ```
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Thrown when a request must be sent again (e.g. after re-authenticating) but its body was a one-shot stream. */
export class ReplayError extends MdkitError {}

export { REDACTED };

/** An option passed to an mdkit factory or function is missing or malformed. The message names it. */
export class ConfigurationError extends MdkitError {}

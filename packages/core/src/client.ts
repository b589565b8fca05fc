import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import { type AuthOption, toAuthStrategy } from "./auth.js";
import { isBinaryBody, isReplayableBody } from "./binary.js";
import { serializeBody } from "./body-serializer.js";
import { ConfigurationError, ReplayError } from "./errors.js";
import type { OperationTable } from "./operations.js";
import { type CallContext, createTransport, type FetchLike } from "./transport.js";

/** Options shared by every mdkit API client factory. */
export interface BaseClientOptions {
  /** Credentials: an `@mdkit/auth` strategy, or a function returning headers. */
  auth?: AuthOption | undefined;
  /** The transport. Defaults to `globalThis.fetch`; inject one in tests or to tunnel. */
  fetch?: FetchLike | undefined;
  /** Headers sent with every request (credentials belong in `auth`, not here). */
  headers?: Record<string, string> | undefined;
}

/** Everything {@link createApiClient} needs: the spec's operation table and where to send. */
export interface ApiClientConfig extends BaseClientOptions {
  /** Package name used as the error prefix, e.g. `@mdkit/cluster`. */
  source: string;
  /** Absolute base URL of the API. */
  baseUrl: string;
  /** Generated operation table of the spec. */
  operations: OperationTable;
}

const CALL_CONTEXT = Symbol.for("@mdkit/call-context");

/** The request context recorded on a result, for {@link unwrap}. */
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
 *   refusing with {@link ReplayError} when the body was a one-shot stream;
 * - throws a redacted `NetworkError` when no response arrives.
 *
 * HTTP errors are returned as `{ error, response }`; {@link unwrap} turns
 * them into typed exceptions.
 */
export function createApiClient<Paths extends {}>(config: ApiClientConfig): Client<Paths> {
  const baseUrl = validateBaseUrl(config.baseUrl, config.source);
  const auth = config.auth ? toAuthStrategy(config.auth) : undefined;
  const transport = createTransport({ baseUrl, fetch: config.fetch, auth });
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
  const innerRequest = inner.request as unknown as (
    method: string,
    path: string,
    init: CallInit,
  ) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

  async function call(method: Method, path: string, init: CallInit = {}) {
    const op = config.operations[`${method} ${path}`];
    const headers = new Headers(init.headers as HeadersInit | undefined);
    const contentType = chooseContentType(op?.requestContentTypes, init.body);
    if (contentType && !headers.has("content-type")) headers.set("content-type", contentType);
    for (let attempt = 0; ; attempt++) {
      const context: CallContext = {
        source: config.source,
        operation: op?.operationId,
        secrets: new Set(),
      };
      let sent: Request | undefined;
      const result = await innerRequest(method, path, {
        parseAs: op?.parseAs ?? "json",
        ...init,
        headers,
        fetch: (request: Request) => {
          sent = request;
          return transport(request, context);
        },
      });
      const status = result.response.status;
      // 400 and 405 too: the gateway document answers an invalid or expired
      // apikey with them on some operations; the strategy decides from the body.
      if (attempt === 0 && [400, 401, 403, 405].includes(status) && auth?.refresh && sent) {
        const renewed = await auth.refresh({
          response: result.response,
          request: sent,
          body: result.error,
        });
        if (renewed) {
          if (!isReplayableBody(init.body)) {
            throw new ReplayError(
              `${op?.operationId ?? path}: credentials were renewed after HTTP ${status}, but the request body was a one-shot stream and cannot be sent again; pass a Blob, bytes or a file path to allow a retry`,
              { source: config.source },
            );
          }
          continue;
        }
      }
      Object.defineProperty(result, CALL_CONTEXT, { value: context, enumerable: false });
      return result;
    }
  }

  const client = { ...inner } as unknown as Record<string, unknown>;
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

/** Checks that a base URL is absolute http(s) and carries no credentials. */
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

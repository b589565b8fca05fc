import { type AuthStrategy, secretsOf } from "./auth.js";
import { createHttpError } from "./errors.js";
import { registerSecret } from "./secret-registry.js";

/** The `fetch` signature mdkit needs: a Request in, a Response out. */
export type FetchLike = (request: Request) => Promise<Response>;

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
}

/** Options of {@link createTransport}. */
export interface TransportOptions {
  /** The API's base URL; credentials are only attached to requests for its origin. */
  baseUrl: string;
  /** The underlying fetch. Defaults to `globalThis.fetch`. */
  fetch?: FetchLike | undefined;
  /** Credentials, applied on every attempt. */
  auth?: AuthStrategy | undefined;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}

/**
 * The bottom of every client: signs each attempt with fresh credentials
 * (only for the API's own origin, so a redirect or an absolute URL elsewhere
 * never receives them) and turns network failures into a redacted
 * `NetworkError`. Aborts are re-thrown as they are.
 */
export function createTransport(options: TransportOptions) {
  const origin = new URL(options.baseUrl).origin;
  const fetchImpl: FetchLike = options.fetch ?? ((request) => globalThis.fetch(request));
  return async function send(request: Request, context: CallContext): Promise<Response> {
    if (options.auth && new URL(request.url).origin === origin) {
      const headers = await options.auth.getHeaders(request);
      for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
      for (const secret of secretsOf(headers)) {
        context.secrets.add(secret);
        registerSecret(secret);
      }
    }
    context.request = { method: request.method, url: request.url, headers: request.headers };
    try {
      return await fetchImpl(request);
    } catch (error) {
      if (isAbort(error)) throw error;
      throw createHttpError({
        status: 0,
        source: context.source,
        operation: context.operation,
        request: context.request,
        cause: error,
        secrets: context.secrets,
      });
    }
  };
}

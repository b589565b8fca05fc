/**
 * The seam through which credentials reach a request. `@mdkit/auth`
 * provides full strategies (OAuth client credentials, gateway sessions);
 * a plain function returning headers is enough for a static key.
 */

/** Context an {@link AuthStrategy} is asked to refresh in. */
export interface RefreshContext {
  /** The rejected response (status 400, 401, 403 or 405). Its body has been read. */
  response: Response;
  /**
   * The request that was rejected, headers as sent (its body may already be
   * consumed). With the Node transport it is a light stand-in for a
   * `Request` (see {@link AuthStrategy.getHeaders}).
   */
  request: Request;
  /** The response body as the client parsed it (JSON or text), to tell why it was refused. */
  body?: unknown;
}

/**
 * A source of credentials for one API origin. Implementations keep their
 * own token state; one instance may serve many clients.
 */
export interface AuthStrategy {
  /**
   * Credential headers for a request to the client's own origin. Called for
   * every attempt. With the Node transport (`createNodeFetch`, the Node
   * entry's default) `request` is a light stand-in for a `Request`, not an
   * instance of one: `url`, `method`, `headers` and `signal` are as a
   * `Request` would have them, and its body is read (`text()`, `clone()`...)
   * through a real `Request` made on demand.
   */
  getHeaders(request: Request): Record<string, string> | Promise<Record<string, string>>;
  /**
   * Called when the server answered 400, 401, 403 or 405. Return `true` when the
   * credentials were renewed and the request should be sent once more;
   * `false` to hand the error to the caller. Called at most once per call.
   */
  refresh?(context: RefreshContext): boolean | Promise<boolean>;
}

/**
 * Either a full {@link AuthStrategy} or a function returning credential headers
 * (anything `new Headers()` accepts: the DOM's `HeadersInit`, spelled through
 * `Headers` so that it also exists under @types/node without the DOM library).
 */
export type AuthOption =
  | AuthStrategy
  | ((
      request: Request,
    ) =>
      | ConstructorParameters<typeof Headers>[0]
      | Promise<ConstructorParameters<typeof Headers>[0]>);

/**
 * Normalises an {@link AuthOption} into an {@link AuthStrategy}.
 *
 * @example
 * ```ts
 * const strategy = toAuthStrategy(() => ({ apikey: "k-123" }));
 * await strategy.getHeaders(new Request("https://gateway.example/file")); // { apikey: "k-123" }
 * ```
 */
export function toAuthStrategy(auth: AuthOption): AuthStrategy {
  if (typeof auth !== "function") return auth;
  return {
    async getHeaders(request) {
      const init = await auth(request);
      return normalHeaders(init) ?? Object.fromEntries(new Headers(init ?? {}).entries());
    },
  };
}

/**
 * `init` itself when it is already what `new Headers(init)` would make of
 * it — a plain object of lower-case names and string values without
 * surrounding whitespace, as `() => ({ apikey })` returns — so that the
 * common case builds no `Headers` per request; otherwise `undefined`.
 */
function normalHeaders(init: unknown): Record<string, string> | undefined {
  if (typeof init !== "object" || init === null) return undefined;
  const proto = Object.getPrototypeOf(init);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const record = init as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    const value = record[name];
    if (name !== name.toLowerCase() || typeof value !== "string" || value !== value.trim()) {
      return undefined;
    }
  }
  return record as Record<string, string>;
}

/**
 * The secret parts of credential header values, for redaction:
 * `Bearer abc` yields both `Bearer abc` and `abc`.
 *
 * @example
 * ```ts
 * secretsOf({ authorization: "Bearer abc" }); // ["Bearer abc", "abc"]
 * ```
 */
export function secretsOf(headers: Record<string, string>): string[] {
  const out: string[] = [];
  for (const value of Object.values(headers)) {
    out.push(value);
    const space = value.indexOf(" ");
    if (space > 0) out.push(value.slice(space + 1));
  }
  return out;
}

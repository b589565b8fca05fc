/**
 * The seam through which credentials reach a request. `@mdkit/auth`
 * provides full strategies (OAuth client credentials, gateway sessions);
 * a plain function returning headers is enough for a static key.
 */

/** Context an {@link AuthStrategy} is asked to refresh in. */
export interface RefreshContext {
  /** The rejected response (status 400, 401, 403 or 405). Its body has been read. */
  response: Response;
  /** The request that was rejected (its body may already be consumed). */
  request: Request;
  /** The response body as the client parsed it (JSON or text), to tell why it was refused. */
  body?: unknown;
}

/**
 * A source of credentials for one API origin. Implementations keep their
 * own token state; one instance may serve many clients.
 */
export interface AuthStrategy {
  /** Credential headers for a request to the client's own origin. Called for every attempt. */
  getHeaders(request: Request): Record<string, string> | Promise<Record<string, string>>;
  /**
   * Called when the server answered 400, 401, 403 or 405. Return `true` when the
   * credentials were renewed and the request should be sent once more;
   * `false` to hand the error to the caller. Called at most once per call.
   */
  refresh?(context: RefreshContext): boolean | Promise<boolean>;
}

/** Either a full {@link AuthStrategy} or a function returning credential headers. */
export type AuthOption =
  | AuthStrategy
  | ((request: Request) => HeadersInit | undefined | Promise<HeadersInit | undefined>);

/** Normalises an {@link AuthOption} into an {@link AuthStrategy}. */
export function toAuthStrategy(auth: AuthOption): AuthStrategy {
  if (typeof auth !== "function") return auth;
  return {
    async getHeaders(request) {
      const init = await auth(request);
      return Object.fromEntries(new Headers(init ?? {}).entries());
    },
  };
}

/**
 * The secret parts of credential header values, for redaction:
 * `Bearer abc` yields both `Bearer abc` and `abc`.
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

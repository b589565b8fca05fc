import { createClusterClient } from "@mdkit/cluster";
import {
  type AuthStrategy,
  ConfigurationError,
  type FetchLike,
  type RefreshContext,
  registerSecret,
} from "@mdkit/core";
import { withSafeRendering } from "./internal/redacted.js";
import { signalsExpiredSession } from "./internal/session-refusal.js";
import { SingleFlight } from "./internal/single-flight.js";
import { credentialError } from "./internal/to-error.js";

/** What a refused login tells the user to check. */
const LOGIN_REFUSED =
  "the gateway refused the user name or password: check MDKIT_CLUSTER_USER / MDKIT_CLUSTER_PASSWORD or the user/password passed to clusterSession";

/** Options of {@link clusterSession}. */
export interface ClusterSessionOptions {
  /** Gateway user name. */
  user: string;
  /** Gateway password. Never logged, never sent to another origin. */
  password: string;
  /** Base URL of the gateway, e.g. `http://localhost:8899`. Sessions are only sent there. */
  baseUrl: string;
  /** Transport for login and logout. Default `globalThis.fetch`. */
  fetch?: FetchLike;
}

/**
 * Login-session auth for the Cluster gateway, usable as the `auth` option
 * of `createClusterClient`. `await using` logs out at the end of the scope.
 */
export interface ClusterSession extends AuthStrategy, AsyncDisposable {
  /** The user name (not secret). */
  readonly user: string;
  /** The current session id, logging in first if there is none (one login however many callers wait). */
  getSessionId(): Promise<string>;
  /** Ends the session on the gateway (`POST /logout`) and forgets it. A no-op without a session. */
  logout(): Promise<void>;
}

/**
 * Creates a Cluster gateway session: `POST /login` on first use, sends the
 * session as `apikey` on every request to the gateway, logs in again once
 * (single-flight) and re-sends the call when the gateway signals that the
 * session may have expired, and logs out on `logout()` or at the end of an
 * `await using`. The signals are those the gateway document gives for an
 * invalid `apikey`: 401, 403 ("Invalid user information"), 405 ("no rights")
 * and a 400 whose body names the apikey (never a 400 for a bad request). A
 * refused login throws `InvalidCredentialsError` naming the settings to fix.
 *
 * @example
 * ```ts
 * import { clusterSession } from "@mdkit/auth";
 * import { createClusterClient } from "@mdkit/cluster";
 *
 * await using auth = clusterSession({ baseUrl, user: "admin", password });
 * const cluster = createClusterClient({ baseUrl, auth });
 * ```
 */
export function clusterSession(options: ClusterSessionOptions): ClusterSession {
  const { user, password, baseUrl } = options;
  if (!user || !password) {
    throw new ConfigurationError("clusterSession needs user and password", {
      source: "@mdkit/auth",
    });
  }
  registerSecret(password);
  const client = createClusterClient({ baseUrl, fetch: options.fetch });
  const origin = new URL(baseUrl).origin;
  const flight = new SingleFlight<string>();
  let session: string | undefined;

  async function login(): Promise<string> {
    const result = await client.POST("/login", { body: { user, password } });
    if (!result.response.ok || !result.data) {
      throw credentialError(result, LOGIN_REFUSED, [password]);
    }
    registerSecret(result.data.session_id);
    session = result.data.session_id;
    return session;
  }

  const getSessionId = () => (session ? Promise.resolve(session) : flight.run(login));

  async function logout() {
    const current = session;
    session = undefined;
    if (!current) return;
    const result = await client.POST("/logout", { headers: { apikey: current } });
    // A refusal of the session itself (401, 403 "Invalid user information",
    // 400 "apikey is missing or invalid") means it had already expired: it
    // is gone either way.
    if (!result.response.ok && !signalsExpiredSession(result.response.status, result.error)) {
      throw credentialError(
        result,
        "logout failed; the session may still be valid until it expires",
      );
    }
  }

  const strategy: ClusterSession = {
    user,
    getSessionId,
    logout,
    [Symbol.asyncDispose]: logout,
    async getHeaders(request: Request) {
      if (new URL(request.url).origin !== origin) {
        throw new ConfigurationError(
          `refusing to send a gateway session to ${new URL(request.url).origin}; it belongs to ${origin}`,
          { source: "@mdkit/auth" },
        );
      }
      return { apikey: await getSessionId() };
    },
    async refresh({ response, request, body }: RefreshContext) {
      // Only a session that was sent can have expired.
      const sent = request.headers.get("apikey");
      if (!sent || !signalsExpiredSession(response.status, body)) return false;
      if (flight.busy) {
        await flight.run(login);
        return true;
      }
      if (session && session !== sent) return true;
      session = undefined;
      await flight.run(login);
      return true;
    },
  };
  return withSafeRendering(strategy, () => ({ user, origin, password: "[REDACTED]" }));
}

/**
 * A fixed gateway API key (for gateways configured with API keys instead of
 * logins), sent as `apikey` to `baseUrl`'s origin only.
 *
 * @example
 * ```ts
 * const cluster = createClusterClient({ baseUrl, auth: clusterApiKey({ baseUrl, apiKey }) });
 * ```
 */
export function clusterApiKey(options: { apiKey: string; baseUrl: string }): AuthStrategy {
  if (!options.apiKey)
    throw new ConfigurationError("clusterApiKey needs apiKey", { source: "@mdkit/auth" });
  registerSecret(options.apiKey);
  const origin = new URL(options.baseUrl).origin;
  const strategy: AuthStrategy = {
    getHeaders(request: Request) {
      if (new URL(request.url).origin !== origin) {
        throw new ConfigurationError(
          `refusing to send the API key to ${new URL(request.url).origin}`,
          {
            source: "@mdkit/auth",
          },
        );
      }
      return { apikey: options.apiKey };
    },
  };
  return withSafeRendering(strategy, () => ({ origin, apiKey: "[REDACTED]" }));
}

import { createCentralManagementClient, REGIONS, type Region } from "@mdkit/central-management";
import {
  type AuthStrategy,
  ConfigurationError,
  type FetchLike,
  type RefreshContext,
  registerSecret,
} from "@mdkit/core";
import { withSafeRendering } from "./internal/redacted.js";
import { SingleFlight } from "./internal/single-flight.js";
import { scheduleUnref } from "./internal/timer.js";
import { credentialError } from "./internal/to-error.js";

/** Options of {@link clientCredentials}. */
export interface ClientCredentialsOptions {
  /** Client id of the Central Management application. */
  clientId: string;
  /** Client secret of the Central Management application. Never logged, never sent elsewhere. */
  clientSecret: string;
  /** Tenant region whose token endpoint to use. Default `us`. Ignored when `baseUrl` is given. */
  region?: Region;
  /** Base URL of Central Management (e.g. the simulator); the token endpoint is `/o/oauth2/token` on it. */
  baseUrl?: string;
  /** Transport for the token request. Default `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Renew a token this long before it expires, in ms. Default 120,000 (2 minutes). */
  refreshSkewMs?: number;
  /** Also renew in the background before expiry (an unref'd timer). Default `false`: renew on demand. */
  proactiveRefresh?: boolean;
  /** Clock in ms since the epoch. Default `Date.now`. */
  now?: () => number;
}

/** A cached access token. */
export interface AccessToken {
  /** The bearer token. */
  value: string;
  /** When it expires, in ms since the epoch. */
  expiresAt: number;
}

/**
 * OAuth client-credentials auth for Central Management, usable as the
 * `auth` option of `createCentralManagementClient` (and of
 * `@mdkit/direct-connection`).
 */
export interface ClientCredentials extends AuthStrategy {
  /** The client id (not secret). */
  readonly clientId: string;
  /** A valid token, from the cache or fetched (one request however many callers wait). */
  getToken(options?: { forceRefresh?: boolean }): Promise<AccessToken>;
  /** Drops the cached token; the next call fetches a new one. */
  invalidate(): void;
  /** Stops the background refresh timer, if any. */
  dispose(): void;
}

/**
 * Creates an OAuth client-credentials strategy: gets a bearer token from
 * `POST /o/oauth2/token`, caches it, renews it `refreshSkewMs` before expiry,
 * shares one token request among all concurrent callers, and on a 401 from
 * an API call renews once and lets the client retry that call once.
 *
 * @example
 * ```ts
 * import { clientCredentials } from "@mdkit/auth";
 * import { createCentralManagementClient } from "@mdkit/central-management";
 *
 * const auth = clientCredentials({ clientId, clientSecret, region: "eu" });
 * const cm = createCentralManagementClient({ region: "eu", auth });
 * ```
 */
export function clientCredentials(options: ClientCredentialsOptions): ClientCredentials {
  const { clientId, clientSecret } = options;
  if (!clientId || !clientSecret) {
    throw new ConfigurationError("clientCredentials needs clientId and clientSecret", {
      source: "@mdkit/auth",
    });
  }
  registerSecret(clientSecret);
  const region = options.region ?? "us";
  const baseUrl = options.baseUrl ?? REGIONS[region];
  if (!baseUrl) {
    throw new ConfigurationError(`unknown region ${String(region)}`, { source: "@mdkit/auth" });
  }
  const origin = new URL(baseUrl).origin;
  const skewMs = options.refreshSkewMs ?? 120_000;
  const now = options.now ?? Date.now;
  const tokenClient = createCentralManagementClient({ baseUrl, fetch: options.fetch });
  const flight = new SingleFlight<AccessToken>();
  let token: AccessToken | undefined;
  let cancelTimer: (() => void) | undefined;

  const fresh = (t: AccessToken | undefined): t is AccessToken =>
    !!t && now() < t.expiresAt - skewMs;

  async function requestToken(): Promise<AccessToken> {
    const result = await tokenClient.POST("/o/oauth2/token", {
      body: { client_id: clientId, client_secret: clientSecret, grant_type: "client_credentials" },
    });
    if (!result.response.ok || !result.data) {
      throw credentialError(
        result,
        "the client id or secret was refused: check them, or whether the application was revoked",
        [clientSecret],
      );
    }
    registerSecret(result.data.access_token);
    const expiresInMs = Math.max(0, (result.data.expires_in ?? 3600) * 1000);
    const next = { value: result.data.access_token, expiresAt: now() + expiresInMs };
    token = next;
    if (options.proactiveRefresh) {
      cancelTimer?.();
      cancelTimer = scheduleUnref(
        () => void getToken({ forceRefresh: true }).catch(() => {}),
        expiresInMs - skewMs,
      );
    }
    return next;
  }

  function getToken(opts: { forceRefresh?: boolean } = {}): Promise<AccessToken> {
    if (!opts.forceRefresh && fresh(token)) return Promise.resolve(token);
    return flight.run(requestToken);
  }

  const strategy: ClientCredentials = {
    clientId,
    getToken,
    invalidate() {
      token = undefined;
    },
    dispose() {
      cancelTimer?.();
      cancelTimer = undefined;
    },
    async getHeaders(request: Request) {
      if (new URL(request.url).origin !== origin) {
        throw new ConfigurationError(
          `refusing to send a Central Management token to ${new URL(request.url).origin}; it belongs to ${origin}`,
          { source: "@mdkit/auth" },
        );
      }
      return { authorization: `Bearer ${(await getToken()).value}` };
    },
    async refresh({ response, request }: RefreshContext) {
      if (response.status !== 401) return false;
      if (flight.busy) {
        await flight.run(requestToken);
        return true;
      }
      const sent = request.headers.get("authorization")?.replace(/^Bearer\s+/i, "");
      if (token && token.value !== sent) return true;
      await getToken({ forceRefresh: true });
      return true;
    },
  };
  return withSafeRendering(strategy, () => ({ clientId, origin, clientSecret: "[REDACTED]" }));
}

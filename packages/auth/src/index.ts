/**
 * Credentials for both APIs, as strategies for the clients' `auth` option:
 * OAuth client credentials for Central Management (cached, renewed before
 * expiry, single-flight) and login sessions or API keys for the Cluster
 * gateway (one re-login when the gateway signals an expired session: 401,
 * 403, 405, or a 400 naming the apikey; logout on `await using`). Secrets live in
 * closures and never appear in messages, `toString`, `toJSON` or `inspect`.
 *
 * @module @mdkit/auth
 */
export {
  type AccessToken,
  type ClientCredentials,
  type ClientCredentialsOptions,
  clientCredentials,
} from "./client-credentials.js";
export {
  type ClusterSession,
  type ClusterSessionOptions,
  clusterApiKey,
  clusterSession,
} from "./cluster-session.js";
export { clientCredentialsFromEnv, clusterAuthFromEnv, ENV } from "./env.js";
export { InvalidCredentialsError } from "./errors.js";
export { MAX_TIMER_MS } from "./internal/timer.js";

import type { Region } from "@mdkit/central-management";
import { type AuthStrategy, ConfigurationError, type FetchLike } from "@mdkit/core";
import { type ClientCredentials, clientCredentials } from "./client-credentials.js";
import { clusterApiKey, clusterSession } from "./cluster-session.js";

/** The environment variables mdkit reads credentials from. */
export const ENV = {
  cmClientId: "MDKIT_CM_CLIENT_ID",
  cmClientSecret: "MDKIT_CM_CLIENT_SECRET",
  cmRegion: "MDKIT_CM_REGION",
  cmUrl: "MDKIT_CM_URL",
  clusterUrl: "MDKIT_CLUSTER_URL",
  clusterUser: "MDKIT_CLUSTER_USER",
  clusterPassword: "MDKIT_CLUSTER_PASSWORD",
  clusterApiKey: "MDKIT_CLUSTER_APIKEY",
} as const;

type Env = Record<string, string | undefined>;
const processEnv = (): Env => (globalThis as { process?: { env: Env } }).process?.env ?? {};

/**
 * A variable's value without surrounding whitespace (a secret read from a
 * file usually ends with a newline; it is sent, and registered for
 * redaction, trimmed), or `undefined` when it is unset or blank.
 */
function optional(env: Env, name: string): string | undefined {
  return env[name]?.trim() || undefined;
}

function required(env: Env, name: string): string {
  const value = optional(env, name);
  if (!value)
    throw new ConfigurationError(`environment variable ${name} is not set (or blank)`, {
      source: "@mdkit/auth",
    });
  return value;
}

/**
 * Client credentials from `MDKIT_CM_CLIENT_ID`, `MDKIT_CM_CLIENT_SECRET`,
 * and optionally `MDKIT_CM_REGION` (`us`/`eu`) or `MDKIT_CM_URL`. Values are
 * trimmed of surrounding whitespace.
 *
 * @throws {ConfigurationError} when the id or secret is missing or blank, or
 *   the region is neither `us` nor `eu`.
 * @example
 * ```ts
 * import { clientCredentialsFromEnv } from "@mdkit/auth";
 * import { createCentralManagementClient } from "@mdkit/central-management";
 *
 * const cm = createCentralManagementClient({
 *   baseUrl: process.env.MDKIT_CM_URL ?? "https://product.my.us.opswat.com",
 *   auth: clientCredentialsFromEnv(),
 * });
 * ```
 */
export function clientCredentialsFromEnv(
  env: Env = processEnv(),
  options: { fetch?: FetchLike } = {},
): ClientCredentials {
  const region = optional(env, ENV.cmRegion);
  const baseUrl = optional(env, ENV.cmUrl);
  if (region && region !== "us" && region !== "eu") {
    throw new ConfigurationError(`${ENV.cmRegion} must be "us" or "eu", got "${region}"`, {
      source: "@mdkit/auth",
    });
  }
  return clientCredentials({
    clientId: required(env, ENV.cmClientId),
    clientSecret: required(env, ENV.cmClientSecret),
    ...(region ? { region: region as Region } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    ...options,
  });
}

/**
 * Cluster gateway auth from `MDKIT_CLUSTER_URL` and either
 * `MDKIT_CLUSTER_APIKEY` (a static key) or `MDKIT_CLUSTER_USER` +
 * `MDKIT_CLUSTER_PASSWORD` (a login session). Returns the base URL with it.
 * Values are trimmed of surrounding whitespace.
 *
 * @throws {ConfigurationError} when `MDKIT_CLUSTER_URL` is missing, or
 *   neither an apikey nor a user and password are set.
 * @example
 * ```ts
 * import { clusterAuthFromEnv } from "@mdkit/auth";
 * import { createClusterClient } from "@mdkit/cluster";
 *
 * const { baseUrl, auth } = clusterAuthFromEnv();
 * const cluster = createClusterClient({ baseUrl, auth });
 * ```
 */
export function clusterAuthFromEnv(
  env: Env = processEnv(),
  options: { fetch?: FetchLike } = {},
): { baseUrl: string; auth: AuthStrategy } {
  const baseUrl = required(env, ENV.clusterUrl);
  const apiKey = optional(env, ENV.clusterApiKey);
  if (apiKey) return { baseUrl, auth: clusterApiKey({ apiKey, baseUrl }) };
  return {
    baseUrl,
    auth: clusterSession({
      baseUrl,
      user: required(env, ENV.clusterUser),
      password: required(env, ENV.clusterPassword),
      ...options,
    }),
  };
}

/**
 * Settings from flags and `MDKIT_*` environment variables, checked up front
 * so that a missing one is a one-line error naming it (exit code 2), and the
 * clients built from them. Secrets are read here and never printed.
 */
import { clientCredentialsFromEnv, clusterAuthFromEnv, ENV } from "@mdkit/auth";
import {
  type CentralManagementClient,
  createCentralManagementClient,
  type Region,
} from "@mdkit/central-management";
import { type ClusterClient, createClusterClient } from "@mdkit/cluster";
import { sleep } from "@mdkit/core";
import { CliError } from "./errors.js";

type Env = Record<string, string | undefined>;

/** How long a command waits for the gateway session's logout at its end, ms. */
const LOGOUT_WAIT_MS = 2_000;

/** The variable holding the MetaDefender Core API key used through direct connections. */
export const CORE_APIKEY_VARIABLE = "MDKIT_CORE_APIKEY";

/** A client and what to do when the command is done with it. */
export interface Connected<C> extends AsyncDisposable {
  /** The typed client. */
  readonly client: C;
  /** Ends the session (Cluster logout) or stops token renewal (Central Management). */
  close(): Promise<void>;
}

function checkUrl(url: string, setting: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The value is not echoed: a mistyped URL may carry a credential.
    throw new CliError(`${setting} is not a valid URL`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new CliError(`${setting} must be an http(s) URL`);
  }
}

/**
 * The Cluster gateway client: its URL from `--url` or `MDKIT_CLUSTER_URL`,
 * its credentials from `MDKIT_CLUSTER_APIKEY`, or `MDKIT_CLUSTER_USER` and
 * `MDKIT_CLUSTER_PASSWORD` (a login session, logged out by `close()`).
 *
 * @throws {CliError} naming the missing flag or variable.
 */
export function connectCluster(env: Env, url?: string): Connected<ClusterClient> {
  const baseUrl = url || env[ENV.clusterUrl];
  if (!baseUrl) {
    throw new CliError(
      `the Cluster gateway URL is not set: pass --url <url> or set ${ENV.clusterUrl}`,
    );
  }
  checkUrl(baseUrl, url ? "--url" : ENV.clusterUrl);
  if (!env[ENV.clusterApiKey]) {
    const user = env[ENV.clusterUser];
    const password = env[ENV.clusterPassword];
    if (!user && !password) {
      throw new CliError(
        `no Cluster gateway credentials: set ${ENV.clusterApiKey}, or ${ENV.clusterUser} and ${ENV.clusterPassword}`,
      );
    }
    if (!user)
      throw new CliError(`${ENV.clusterUser} is not set (needed with ${ENV.clusterPassword})`);
    if (!password)
      throw new CliError(`${ENV.clusterPassword} is not set (needed with ${ENV.clusterUser})`);
  }
  const { auth } = clusterAuthFromEnv({ ...env, [ENV.clusterUrl]: baseUrl });
  const client = createClusterClient({ baseUrl, auth });
  const close = async () => {
    // A session that was never used logs out without a request; a failed
    // logout leaves a session that expires by itself, and must not change the
    // outcome — nor keep a command waiting past its deadline: it gets a few seconds.
    const session = auth as { logout?: () => Promise<void> };
    const giveUp = new AbortController();
    await Promise.race([
      session.logout?.().catch(() => {}),
      sleep(LOGOUT_WAIT_MS, giveUp.signal).catch(() => {}),
    ]);
    giveUp.abort();
  };
  return { client, close, [Symbol.asyncDispose]: close };
}

/**
 * The Central Management client: `MDKIT_CM_CLIENT_ID`, `MDKIT_CM_CLIENT_SECRET`,
 * and `MDKIT_CM_REGION` (`us`, default, or `eu`) or `MDKIT_CM_URL`.
 *
 * @throws {CliError} naming the missing or invalid variable.
 */
export function connectCentralManagement(env: Env): Connected<CentralManagementClient> {
  for (const name of [ENV.cmClientId, ENV.cmClientSecret]) {
    if (!env[name]) throw new CliError(`${name} is not set (Central Management credentials)`);
  }
  const region = env[ENV.cmRegion];
  if (region && region !== "us" && region !== "eu") {
    throw new CliError(`${ENV.cmRegion} must be "us" or "eu"`);
  }
  const baseUrl = env[ENV.cmUrl];
  if (baseUrl) checkUrl(baseUrl, ENV.cmUrl);
  const auth = clientCredentialsFromEnv(env);
  const client = createCentralManagementClient({
    auth,
    ...(baseUrl ? { baseUrl } : {}),
    ...(region ? { region: region as Region } : {}),
  });
  const close = async () => auth.dispose();
  return { client, close, [Symbol.asyncDispose]: close };
}

/**
 * The MetaDefender Core API key for requests through a direct connection.
 *
 * @throws {CliError} when `MDKIT_CORE_APIKEY` is not set.
 */
export function coreApiKey(env: Env): string {
  const key = env[CORE_APIKEY_VARIABLE];
  if (!key) {
    throw new CliError(
      `${CORE_APIKEY_VARIABLE} is not set (the API key of the MetaDefender Core reached through the direct connection)`,
    );
  }
  return key;
}

/**
 * The clients of a command, built from flags, `MDKIT_*` environment
 * variables and the profile, checked up front so that a missing or invalid
 * setting is a one-line error naming it (exit code 2). Each also records
 * what the command talks to (`ctx.target`), so that a failure later names
 * the setting to fix. Secrets are read here and never printed.
 */
import { clientCredentialsFromEnv, clusterAuthFromEnv, ENV } from "@mdkit/auth";
import {
  type CentralManagementClient,
  createCentralManagementClient,
  type Region,
} from "@mdkit/central-management";
import { type ClusterClient, createClusterClient } from "@mdkit/cluster";
import { sleep } from "@mdkit/core";
import type { Context } from "./context.js";
import { CliError } from "./errors.js";
import { DEFAULT_PROFILE } from "./settings/profile-store.js";

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

const EXPECTED_URL = "expected http://host:port or https://host (e.g. http://127.0.0.1:8899)";

/**
 * Checks that `url` is an http(s) URL. The value is not echoed: a mistyped
 * URL may carry a credential.
 *
 * @throws {CliError} naming `setting` and the expected form.
 */
export function checkUrl(url: string, setting: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    const missingScheme = !/^[a-z][a-z0-9+.-]*:\/\//i.test(url);
    throw new CliError(
      `${setting} is not an http(s) URL${missingScheme ? " (the scheme is missing)" : ""}: ${EXPECTED_URL}`,
    );
  }
}

/** The command that saves credentials in the run's profile (`mdkit --profile eu login`). */
function loginCommand(ctx: Context, command: string): string {
  const profile = ctx.profile?.name;
  return `mdkit${profile && profile !== DEFAULT_PROFILE ? ` --profile ${profile}` : ""} ${command}`;
}

/** Options of {@link connectCluster}. */
export interface ClusterConnectOptions {
  /** `--url`, which wins over `MDKIT_CLUSTER_URL` and the profile. */
  url?: string | undefined;
  /** `--rule`, named by messages about an unknown rule. */
  rule?: string | undefined;
}

/**
 * The Cluster gateway client: its URL from `--url`, `MDKIT_CLUSTER_URL` or
 * the profile; its credentials from `MDKIT_CLUSTER_APIKEY`, or
 * `MDKIT_CLUSTER_USER` and `MDKIT_CLUSTER_PASSWORD` (a login session,
 * logged out by `close()`), or the profile.
 *
 * @throws {CliError} naming the missing flag, variable or profile key.
 */
export function connectCluster(
  ctx: Context,
  options: ClusterConnectOptions = {},
): Connected<ClusterClient> {
  const env = ctx.io.env;
  const name = (variable: string) => ctx.settingName(variable);
  const baseUrl = options.url || env[ENV.clusterUrl];
  if (!baseUrl) {
    throw new CliError(
      `the Cluster gateway URL is not set: pass --url <url> before the command, set ${ENV.clusterUrl}, or run mdkit login`,
    );
  }
  const urlSetting = options.url ? "--url" : name(ENV.clusterUrl);
  checkUrl(baseUrl, urlSetting);
  const apikey = !!env[ENV.clusterApiKey];
  if (!apikey) {
    const user = env[ENV.clusterUser];
    const password = env[ENV.clusterPassword];
    if (!user && !password) {
      throw new CliError(
        `no Cluster gateway credentials: set ${ENV.clusterApiKey}, or ${ENV.clusterUser} and ${ENV.clusterPassword}, or run mdkit login`,
      );
    }
    if (!user)
      throw new CliError(
        `${ENV.clusterUser} is not set (needed with ${name(ENV.clusterPassword)})`,
      );
    if (!password)
      throw new CliError(
        `${ENV.clusterPassword} is not set (needed with ${name(ENV.clusterUser)})`,
      );
  }
  ctx.target = {
    service: "cluster",
    url: baseUrl,
    urlSetting,
    credentials: apikey ? "apikey" : "session",
    credentialSettings: apikey
      ? name(ENV.clusterApiKey)
      : `${name(ENV.clusterUser)} / ${name(ENV.clusterPassword)}`,
    rule: options.rule,
    loginCommand: loginCommand(ctx, "login"),
  };
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
 * and `MDKIT_CM_REGION` (`us`, default, or `eu`) or `MDKIT_CM_URL` (or the profile).
 *
 * @throws {CliError} naming the missing or invalid setting.
 */
export function connectCentralManagement(ctx: Context): Connected<CentralManagementClient> {
  const env = ctx.io.env;
  const name = (variable: string) => ctx.settingName(variable);
  for (const variable of [ENV.cmClientId, ENV.cmClientSecret]) {
    if (!env[variable]) {
      throw new CliError(
        `${variable} is not set (Central Management credentials): set it, or run mdkit login cm`,
      );
    }
  }
  const region = env[ENV.cmRegion];
  if (region && region !== "us" && region !== "eu") {
    throw new CliError(`${name(ENV.cmRegion)} must be "us" or "eu"`);
  }
  const baseUrl = env[ENV.cmUrl];
  if (baseUrl) checkUrl(baseUrl, name(ENV.cmUrl));
  ctx.target = {
    service: "cm",
    url: baseUrl,
    urlSetting: baseUrl ? name(ENV.cmUrl) : `${name(ENV.cmRegion)} / ${ENV.cmUrl}`,
    credentials: "oauth",
    credentialSettings: `${name(ENV.cmClientId)} / ${name(ENV.cmClientSecret)}`,
    loginCommand: loginCommand(ctx, "login cm"),
  };
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
export function coreApiKey(ctx: Context): string {
  const key = ctx.io.env[CORE_APIKEY_VARIABLE];
  if (!key) {
    throw new CliError(
      `${CORE_APIKEY_VARIABLE} is not set (the API key of the MetaDefender Core reached through the direct connection): set it, or mdkit config set core-apikey`,
    );
  }
  return key;
}

import { registerSecret } from "@mdkit/core";
import { CliError } from "../errors.js";
import { configFile } from "./config-dir.js";
import { SETTING_KEYS } from "./keys.js";
import { DEFAULT_PROFILE, permissionWarning, readConfig } from "./profile-store.js";

type Env = Record<string, string | undefined>;

/** The variable that chooses the profile (like `--profile`). */
export const PROFILE_VARIABLE = "MDKIT_PROFILE";

/** Where the value of a setting came from. */
export type SettingSource = { kind: "env" } | { kind: "profile"; profile: string; key: string };

/** The profile applied to a run's environment, and where each setting came from. */
export interface AppliedProfile {
  /** The profile's name. */
  readonly name: string;
  /** The configuration file. */
  readonly file: string;
  /** The source of each `MDKIT_*` variable that has a value. */
  readonly sources: ReadonlyMap<string, SettingSource>;
}

/**
 * Fills the environment's unset `MDKIT_*` variables from a profile of the
 * configuration file: flags and environment variables win over the profile.
 * The profile is `flag`, else `MDKIT_PROFILE`, else "default"; a profile
 * named explicitly must exist (unless `mayNotExist`: the command creates it). Secrets read from the profile are registered
 * for redaction before anything can print them. `env` is changed in place.
 *
 * @throws {CliError} for an unreadable configuration or an unknown named profile.
 */
export async function applyProfile(
  env: Env,
  flag: string | undefined,
  warn: (message: string) => void,
  mayNotExist = false,
): Promise<AppliedProfile> {
  const explicit = flag ?? (env[PROFILE_VARIABLE] || undefined);
  const name = explicit ?? DEFAULT_PROFILE;
  const file = configFile(env);
  const sources = new Map<string, SettingSource>();
  for (const { variable } of SETTING_KEYS)
    if (env[variable]) sources.set(variable, { kind: "env" });
  const config = await readConfig(file);
  const settings = config.profiles[name];
  if (!settings) {
    if (explicit !== undefined && !mayNotExist) {
      const known = Object.keys(config.profiles);
      throw new CliError(
        `no profile "${name}" in ${file}${known.length ? ` (profiles: ${known.join(", ")})` : ""}: create it with mdkit --profile ${name} login, or mdkit --profile ${name} config set <key> <value>`,
      );
    }
    return { name, file, sources };
  }
  const warning = await permissionWarning(file);
  if (warning) warn(warning);
  for (const setting of SETTING_KEYS) {
    const value = settings[setting.key]?.trim();
    if (!value || env[setting.variable]) continue;
    if (setting.secret) registerSecret(value);
    env[setting.variable] = value;
    sources.set(setting.variable, { kind: "profile", profile: name, key: setting.key });
  }
  return { name, file, sources };
}

/** How a message names a setting: the variable, or the profile's key when it came from there. */
export function settingName(variable: string, applied: AppliedProfile | undefined): string {
  const source = applied?.sources.get(variable);
  if (source?.kind === "profile") return `${source.key} of profile "${source.profile}"`;
  return variable;
}

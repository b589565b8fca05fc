import { homedir } from "node:os";
import { join } from "node:path";

type Env = Record<string, string | undefined>;

/** The variable that names the configuration directory, overriding the platform's. */
export const CONFIG_DIR_VARIABLE = "MDKIT_CONFIG_DIR";

/**
 * The directory of mdkit's configuration: `MDKIT_CONFIG_DIR` when set; else
 * `%APPDATA%\mdkit` on Windows, `~/Library/Application Support/mdkit` on
 * macOS, and `$XDG_CONFIG_HOME/mdkit` (default `~/.config/mdkit`) elsewhere.
 */
export function configDir(
  env: Env,
  platform: NodeJS.Platform = process.platform,
  home: () => string = homedir,
): string {
  const override = env[CONFIG_DIR_VARIABLE];
  if (override) return override;
  if (platform === "win32") return join(env.APPDATA || join(home(), "AppData", "Roaming"), "mdkit");
  if (platform === "darwin") return join(home(), "Library", "Application Support", "mdkit");
  return join(env.XDG_CONFIG_HOME || join(home(), ".config"), "mdkit");
}

/** The configuration file in {@link configDir}. */
export function configFile(env: Env, platform?: NodeJS.Platform): string {
  return join(configDir(env, platform), "config.json");
}

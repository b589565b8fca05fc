import { configFile } from "./config-dir.js";
import { DEFAULT_PROFILE, type ProfileSettings, readConfig, writeConfig } from "./profile-store.js";

type Env = Record<string, string | undefined>;

/**
 * Changes one profile of the configuration file: `change` gets its settings
 * (empty for a new profile) and edits them in place; the file is then
 * written with owner-only permissions. Returns the file's path.
 */
export async function editProfile(
  env: Env,
  profile: string | undefined,
  change: (settings: ProfileSettings) => void,
): Promise<string> {
  const file = configFile(env);
  const config = await readConfig(file);
  const name = profile ?? DEFAULT_PROFILE;
  const settings = config.profiles[name] ?? {};
  change(settings);
  config.profiles[name] = settings;
  await writeConfig(file, config);
  return file;
}

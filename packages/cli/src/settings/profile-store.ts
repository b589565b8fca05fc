import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { CliError } from "../errors.js";

/** The settings of one profile: setting key → value. */
export type ProfileSettings = Record<string, string>;

/** What the configuration file holds. */
export interface ConfigDocument {
  /** Profiles by name. */
  profiles: Record<string, ProfileSettings>;
}

/** The profile used without `--profile` or `MDKIT_PROFILE`. */
export const DEFAULT_PROFILE = "default";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Reads the configuration file; a missing file is an empty configuration.
 *
 * @throws {CliError} when the file cannot be read or is not a configuration.
 */
export async function readConfig(file: string): Promise<ConfigDocument> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { profiles: {} };
    throw new CliError(
      `cannot read the configuration file ${file} (${(error as NodeJS.ErrnoException).code ?? "error"}): check its permissions, or set MDKIT_CONFIG_DIR to another directory`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The text is not echoed: it may hold secrets.
    throw new CliError(
      `the configuration file ${file} is not valid JSON: fix it, or remove it and run mdkit login again`,
    );
  }
  const profiles = isRecord(parsed) ? parsed.profiles : undefined;
  if (!isRecord(profiles)) {
    throw new CliError(
      `the configuration file ${file} has no "profiles" object: fix it, or remove it and run mdkit login again`,
    );
  }
  const out: ConfigDocument = { profiles: {} };
  for (const [name, settings] of Object.entries(profiles)) {
    if (!isRecord(settings)) continue;
    out.profiles[name] = Object.fromEntries(
      Object.entries(settings).filter(
        (entry): entry is [string, string] => typeof entry[1] === "string",
      ),
    );
  }
  return out;
}

/**
 * Writes the configuration file readable and writable by its owner only
 * (mode 0600, in a directory of mode 0700): it holds secrets. The file is
 * written beside its final name and renamed over it, so a reader never sees
 * half a file.
 */
export async function writeConfig(file: string, config: ConfigDocument): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temporary = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    await chmod(temporary, 0o600);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * A warning when the configuration file can be read by other users (POSIX
 * only): it may hold secrets. `undefined` when its mode is owner-only or
 * cannot be known.
 */
export async function permissionWarning(file: string): Promise<string | undefined> {
  if (process.platform === "win32") return undefined;
  const info = await stat(file).catch(() => undefined);
  if (!info || (info.mode & 0o077) === 0) return undefined;
  return `${file} can be read by other users and may hold secrets: run chmod 600 ${file}`;
}

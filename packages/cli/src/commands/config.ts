import type { Command } from "commander";
import { checkUrl } from "../connect.js";
import { type Context, globalsOf } from "../context.js";
import { CliError } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { formatOption } from "../options.js";
import { fieldsOption, type OutputFlags, recordWriterFor } from "../output-options.js";
import { readFirstLine } from "../prompt.js";
import { configFile } from "../settings/config-dir.js";
import { editProfile } from "../settings/edit.js";
import { SETTING_KEYS, type SettingKey, settingKey } from "../settings/keys.js";
import { DEFAULT_PROFILE, readConfig } from "../settings/profile-store.js";

const KEYS_HELP = SETTING_KEYS.map(
  (s) =>
    `  ${s.key.padEnd(24)}${s.variable.padEnd(30)}${s.description}${s.secret ? " (secret)" : ""}`,
).join("\n");

const HELP = `
Settings of a profile, stored in config.json under the user's configuration directory
($XDG_CONFIG_HOME/mdkit or ~/.config/mdkit on Linux, ~/Library/Application Support/mdkit on
macOS, %APPDATA%\\mdkit on Windows; MDKIT_CONFIG_DIR overrides it), readable by its owner only.
The profile is --profile (before the command), else MDKIT_PROFILE, else "default". Flags and
MDKIT_* environment variables win over the profile. Secrets are never printed: a secret
given without a value is read from standard input.

Keys:
${KEYS_HELP}

Examples:
  $ mdkit config set cluster-url http://127.0.0.1:8899
  $ printf '%s' "$PASSWORD" | mdkit config set cluster-password
  $ mdkit --profile eu config set cm-region eu
  $ mdkit config list
  $ mdkit config get cluster-url
`;

/** `config` writes and reads the profile: a profile named that does not exist yet is empty. */
const WRITES_PROFILE = { createsProfile: true };

/** The setting named `key`. @throws {CliError} listing the keys when there is none. */
function keyOf(key: string): SettingKey {
  const setting = settingKey(key);
  if (!setting) {
    throw new CliError(
      `unknown setting "${key}"; the settings are: ${SETTING_KEYS.map((s) => s.key).join(", ")}`,
    );
  }
  return setting;
}

/** Checks a value before it is stored. @throws {CliError} saying what is expected. */
function checkValue(setting: SettingKey, value: string): void {
  if (setting.key.endsWith("-url")) checkUrl(value, setting.key);
  if (setting.key === "cm-region" && value !== "us" && value !== "eu") {
    throw new CliError('cm-region must be "us" or "eu"');
  }
  if (
    setting.key === "batch-cert-fingerprint" &&
    !/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i.test(value.replace(/[:\s]/g, ""))
  ) {
    throw new CliError(
      "batch-cert-fingerprint must be a SHA-1 (40 hex digits) or SHA-256 (64 hex digits) fingerprint",
    );
  }
}

/** Where a setting's value comes from in this run. */
function sourceOf(ctx: Context, setting: SettingKey): string {
  const source = ctx.profile?.sources.get(setting.variable);
  if (!source) return "";
  return source.kind === "env" ? `env ${setting.variable}` : `profile ${source.profile}`;
}

/** `mdkit config set|get|unset|list|path`. */
export function registerConfig(program: Command, ctx: Context): void {
  const config = program
    .command("config")
    .description("show and change the settings of a profile")
    .addHelpText("after", HELP);

  config
    .command("set")
    .description(
      "store a setting in the profile (a secret without a value is read from standard input)",
    )
    .argument("<key>", "the setting (see mdkit config --help)")
    .argument("[value]", "its value; for a secret, leave it out and pipe it in")
    .action(
      ctx.action(
        async (key: string, value: string | undefined, _options: unknown, cmd: Command) => {
          const setting = keyOf(key);
          const given =
            value ?? (setting.secret ? await readFirstLine(ctx.io.stdin, key) : undefined);
          if (given === undefined || given.trim() === "")
            throw new CliError(`a value is needed: mdkit config set ${key} <value>`);
          checkValue(setting, given.trim());
          const profile = globalsOf(cmd).profile ?? ctx.profile?.name;
          const file = await editProfile(ctx.io.env, profile, (settings) => {
            settings[setting.key] = given.trim();
          });
          ctx.err(
            `mdkit: ${setting.key} saved in profile "${profile ?? DEFAULT_PROFILE}" (${file})\n`,
          );
          return EXIT.ok;
        },
        WRITES_PROFILE,
      ),
    );

  config
    .command("get")
    .description("print a setting of the profile (a secret prints only whether it is set)")
    .argument("<key>", "the setting")
    .action(
      ctx.action(async (key: string, _options: unknown, cmd: Command) => {
        const setting = keyOf(key);
        const profile = globalsOf(cmd).profile ?? ctx.profile?.name ?? DEFAULT_PROFILE;
        const stored = (await readConfig(configFile(ctx.io.env))).profiles[profile]?.[setting.key];
        if (stored === undefined)
          throw new CliError(`${setting.key} is not set in profile "${profile}"`);
        await ctx.out(`${setting.secret ? "(secret, set)" : stored}\n`);
        return EXIT.ok;
      }, WRITES_PROFILE),
    );

  config
    .command("unset")
    .description("remove a setting from the profile")
    .argument("<key>", "the setting")
    .action(
      ctx.action(async (key: string, _options: unknown, cmd: Command) => {
        const setting = keyOf(key);
        const profile = globalsOf(cmd).profile ?? ctx.profile?.name;
        await editProfile(ctx.io.env, profile, (settings) => {
          delete settings[setting.key];
        });
        return EXIT.ok;
      }, WRITES_PROFILE),
    );

  config
    .command("list")
    .description(
      "every setting in effect, where it comes from (env or profile); secrets shown as (secret, set)",
    )
    .addOption(formatOption())
    .addOption(fieldsOption())
    .action(
      ctx.action(async (options: OutputFlags) => {
        const writer = recordWriterFor(ctx, options, ["key", "value", "source", "variable"]);
        for (const setting of SETTING_KEYS) {
          const value = ctx.io.env[setting.variable];
          await writer.write({
            key: setting.key,
            value: value ? (setting.secret ? "(secret, set)" : value) : null,
            source: sourceOf(ctx, setting) || null,
            variable: setting.variable,
          });
        }
        await writer.end();
        return EXIT.ok;
      }, WRITES_PROFILE),
    );

  config
    .command("path")
    .description("print the configuration file's path")
    .action(
      ctx.action(async () => {
        await ctx.out(`${configFile(ctx.io.env)}\n`);
        return EXIT.ok;
      }, WRITES_PROFILE),
    );
}

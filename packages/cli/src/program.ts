import { Command, CommanderError } from "commander";
import { COMMANDS, type CommandEntry, commandNamesOf } from "./commands/registry.js";
import { type Context, createContext } from "./context.js";
import { EXIT } from "./exit-codes.js";
import type { CliIo } from "./io.js";
import { VERSION } from "./version.js";

const HELP = `
Settings come from flags, then MDKIT_* environment variables, then the profile
(--profile or MDKIT_PROFILE; "default" otherwise; see mdkit config and mdkit login).
Cluster gateway: --url (before the command) or MDKIT_CLUSTER_URL, and MDKIT_CLUSTER_APIKEY
or MDKIT_CLUSTER_USER + MDKIT_CLUSTER_PASSWORD. Central Management: MDKIT_CM_CLIENT_ID,
MDKIT_CM_CLIENT_SECRET, MDKIT_CM_REGION (us|eu) or MDKIT_CM_URL. Secrets are never printed.
An argument that looks like an option but names a file of the current directory is refused
(a shell glob may have made it): use "--" or ./* for such files.

Exit codes: 0 success (every file clean), 1 a verdict matched --fail-on, 2 a usage or
configuration error or a failure (the answer is unknown), 130 interrupted.

Try it without a gateway:
  $ mdkit simulator &
  $ export MDKIT_CLUSTER_URL=http://127.0.0.1:8899 MDKIT_CLUSTER_USER=admin MDKIT_CLUSTER_PASSWORD=admin
  $ mdkit scan ./some-folder
`;

/** Exit codes of commander's own outcomes: help and version are successes, the rest usage errors. */
function commanderExitCode(error: CommanderError): number {
  return error.code === "commander.helpDisplayed" || error.code === "commander.version"
    ? EXIT.ok
    : EXIT.failure;
}

/** The program with its global options, before any command is added. */
export function createProgram(ctx: Context): Command {
  return new Command("mdkit")
    .description(
      "Scan files with the MetaDefender Cluster gateway and work with My OPSWAT Central Management",
    )
    .version(VERSION, "-V, --version")
    .option(
      "--url <url>",
      "base URL of the Cluster gateway, before the command (overrides MDKIT_CLUSTER_URL)",
    )
    .option(
      "--profile <name>",
      'settings profile to use (overrides MDKIT_PROFILE; default "default")',
    )
    .option("--debug", "print the (redacted) JSON of an error besides its message")
    .showSuggestionAfterError()
    .configureOutput({
      writeOut: (text) => {
        ctx.io.stdout.write(text);
      },
      writeErr: (text) => ctx.err(text),
      getOutHelpWidth: () => ctx.io.stdout.columns ?? 100,
      getErrHelpWidth: () => ctx.io.stderr.columns ?? 100,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .exitOverride()
    .addHelpText("after", HELP);
}

/**
 * Adds every command to the program: those in `load` fully (their module
 * imported), the others as a name and a description for the help listing.
 */
export async function addCommands(
  program: Command,
  ctx: Context,
  load: (entry: CommandEntry) => boolean,
): Promise<void> {
  for (const entry of COMMANDS) {
    if (load(entry)) (await entry.load())(program, ctx);
    else program.command(entry.name).description(entry.description).helpOption(false);
  }
}

/** Parses `argv` and runs the command it names, loading only that command. */
export async function runProgram(argv: readonly string[], io: CliIo): Promise<number> {
  const ctx = createContext(io);
  const program = createProgram(ctx);
  const names = new Set(commandNamesOf(argv));
  // Registered after the settings above, which subcommands inherit.
  await addCommands(program, ctx, (entry) => names.has(entry.name));
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) return commanderExitCode(error);
    throw error;
  }
  return ctx.exitCode;
}

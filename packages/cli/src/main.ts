import { createRequire } from "node:module";
import { Command, CommanderError } from "commander";
import { refusedArgument } from "./argv-guard.js";
import { registerBatch } from "./commands/batch.js";
import { registerCm } from "./commands/cm.js";
import { registerCore } from "./commands/core.js";
import { registerDownload } from "./commands/download.js";
import { registerHash } from "./commands/hash.js";
import { registerQueue } from "./commands/queue.js";
import { registerRules } from "./commands/rules.js";
import { registerScan } from "./commands/scan.js";
import { registerSimulator } from "./commands/simulator.js";
import { createContext } from "./context.js";
import { EXIT } from "./exit-codes.js";
import type { CliIo } from "./io.js";

const { version } = createRequire(import.meta.url)("../package.json") as { version: string };

const HELP = `
Cluster gateway settings: --url (before the command) or MDKIT_CLUSTER_URL, and
MDKIT_CLUSTER_APIKEY or MDKIT_CLUSTER_USER + MDKIT_CLUSTER_PASSWORD. Central Management:
MDKIT_CM_CLIENT_ID, MDKIT_CM_CLIENT_SECRET, MDKIT_CM_REGION (us|eu) or MDKIT_CM_URL.
Secrets are never printed. An argument that looks like an option but names a file of the
current directory is refused (a shell glob may have made it): use "--" or ./* for such files.

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

/**
 * Runs the `mdkit` command line with `argv` (the arguments after the
 * program name) and resolves with the exit code. It never calls
 * `process.exit` and touches no global state: `io` carries the streams,
 * the environment and the signal, so tests run it in-process. Arguments
 * that look like options but name a file of the working directory are
 * refused before anything is parsed or sent (a shell glob may have produced
 * them), and `--url` is accepted only before the command name.
 *
 * @example
 * ```ts
 * import { main } from "@mdkit/cli";
 * const code = await main(["scan", "invoice.pdf", "--format", "json"], {
 *   stdout: process.stdout,
 *   stderr: process.stderr,
 *   env: process.env,
 * });
 * ```
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const ctx = createContext(io);
  const refused = refusedArgument(argv, process.cwd());
  if (refused !== undefined) {
    ctx.err(`mdkit: ${refused}\n`);
    return EXIT.failure;
  }
  const program = new Command("mdkit")
    .description(
      "Scan files with the MetaDefender Cluster gateway and work with My OPSWAT Central Management",
    )
    .version(version, "-V, --version")
    .option(
      "--url <url>",
      "base URL of the Cluster gateway, before the command (overrides MDKIT_CLUSTER_URL)",
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
  // Registered after the settings above, which subcommands inherit.
  registerScan(program, ctx);
  registerHash(program, ctx);
  registerRules(program, ctx);
  registerBatch(program, ctx);
  registerDownload(program, ctx);
  registerCm(program, ctx);
  registerCore(program, ctx);
  registerSimulator(program, ctx);
  // Its actions import @mdkit/queue (BullMQ, ioredis) on demand: the other commands never load them.
  registerQueue(program, ctx);
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) return commanderExitCode(error);
    throw error;
  }
  return ctx.exitCode;
}

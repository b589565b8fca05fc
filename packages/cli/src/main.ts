import { refusedArgument } from "./argv-guard.js";
import { EXIT } from "./exit-codes.js";
import type { CliIo } from "./io.js";
import { VERSION } from "./version.js";

const VERSION_FLAGS = new Set(["--version", "-V"]);

/**
 * Runs the `mdkit` command line with `argv` (the arguments after the
 * program name) and resolves with the exit code. It never calls
 * `process.exit` and touches no global state: `io` carries the streams,
 * the environment and the signal, so tests run it in-process. Arguments
 * that look like options but name a file of the working directory are
 * refused before anything is parsed or sent (a shell glob may have produced
 * them), and `--url` is accepted only before the command name. Only the
 * command that runs is loaded (`mdkit --version` loads none).
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
  const refused = refusedArgument(argv, process.cwd());
  if (refused !== undefined) {
    // Scrubbed like every other output: the refused argument may hold a secret.
    const { createContext } = await import("./context.js");
    createContext(io).err(`mdkit: ${refused}\n`);
    return EXIT.failure;
  }
  // Nothing else to do: no parser, no command, no client is loaded for it.
  if (argv.length === 1 && VERSION_FLAGS.has(argv[0] as string)) {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const { runProgram } = await import("./program.js");
  return runProgram(argv, io);
}

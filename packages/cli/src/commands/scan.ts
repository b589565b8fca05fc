import type { Command } from "commander";
import { connectCluster } from "../config.js";
import { type Context, globalsOf } from "../context.js";
import { collect, failOnOption, formatOption, integerParser } from "../options.js";
import { runScan, type ScanCommandOptions } from "../scan/run-scan.js";

/** Adds the options of a scan (shared by `mdkit scan` and `mdkit core ... scan`). */
export function addScanOptions(command: Command): Command {
  return command
    .argument("<paths...>", "files, directories (scanned recursively) or - for standard input")
    .option("--rule <name>", "rule to scan with (default: the gateway's default rule)")
    .option("--no-hash-first", "upload every file, without looking its SHA-256 up first")
    .option(
      "--concurrency <n>",
      "most files on the gateway at once; the limit adapts below it (default: adaptive, up to 64)",
      integerParser(1),
    )
    .option(
      "--timeout <ms>",
      "per-file deadline in ms; a timeout is a failure, never clean (default: 600000)",
      integerParser(1),
    )
    .option("--journal <file>", "record progress in this file and resume from it when rerun")
    .option(
      "--sanitized-to <dir>",
      "download the sanitized version of each file into this directory",
    )
    .option(
      "--include <glob>",
      "in directories, scan only files matching this glob (repeatable)",
      collect,
      [],
    )
    .option(
      "--exclude <glob>",
      "in directories, skip files and folders matching this glob (repeatable)",
      collect,
      [],
    )
    .option(
      "--allow-skipped",
      "in directories, do not fail the run for entries that are not scanned (symbolic links, FIFOs, sockets, devices, unreadable folders); they are listed on stderr instead",
    )
    .addOption(formatOption())
    .addOption(failOnOption());
}

const EXAMPLES = `
Examples:
  $ mdkit scan invoice.pdf
  $ mdkit scan ./inbox --include '**/*.pdf' --exclude '**/tmp/**' --format csv > results.csv
  $ curl -s https://example.com/file.bin | mdkit scan - --format json
  $ mdkit scan ./release --rule sanitize --sanitized-to ./clean --journal release.journal
  $ mdkit scan ./uploads --fail-on infected || echo "infected files found"

Each file gives one row: path, name, verdict, threats, sha256, data_id, from_cache, error.
Verdicts: clean, infected, suspicious, blocked, incomplete, failed, cancelled; "error" when the
scan itself failed. An entry of a directory that is not scanned (symbolic link, FIFO, socket,
device, unreadable folder) is an "error" row too, unless --allow-skipped. A file named like an
option (e.g. "--url=...") is refused when given before "--": use "mdkit scan -- *" or "./*". Exit codes: 0 every file clean, 1 a verdict matched --fail-on, 2 a usage or
configuration error, or a file failed or could not be analysed (never reported as clean).
`;

/** `mdkit scan <paths...>`: scans files, directories and standard input with the Cluster gateway. */
export function registerScan(program: Command, ctx: Context): void {
  const command = program
    .command("scan")
    .description("scan files, directories and standard input with the Cluster gateway")
    .addHelpText("after", EXAMPLES);
  addScanOptions(command).action(
    ctx.action(async (paths: string[], options: ScanCommandOptions, cmd: Command) => {
      await using cluster = connectCluster(ctx.io.env, globalsOf(cmd).url);
      // Awaited here: the session is logged out only once the scan is done.
      return await runScan(ctx, cluster.client, paths, options);
    }),
  );
}

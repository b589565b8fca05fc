import type { Command } from "commander";
import { connectCluster } from "../connect.js";
import { type Context, globalsOf } from "../context.js";
import { collect, failOnOption, formatOption, integerParser } from "../options.js";
import { FORMATS, REPORT_FORMATS } from "../output/index.js";
import { fieldsOption } from "../output-options.js";
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
      "per-file deadline in ms, bounding the upload, busy waits, Retry-After and polls; a timeout is a failure, never clean (default: 600000)",
      integerParser(1),
    )
    .option("--journal <file>", "record progress in this file and resume from it when rerun")
    .option(
      "--sanitized-to <dir>",
      "download the sanitized version of each file into this directory",
    )
    .option(
      "--include <pattern>",
      "in directories, scan only files matching this pattern, as in .gitignore: *.pdf at any depth, docs/*.pdf from the folder scanned (repeatable)",
      collect,
      [],
    )
    .option(
      "--exclude <pattern>",
      "in directories, skip files and folders matching this pattern, as in .gitignore (repeatable)",
      collect,
      [],
    )
    .option(
      "--allow-skipped",
      "in directories, do not fail the run for entries that are not scanned (symbolic links, FIFOs, sockets, devices, unreadable folders); they are listed on stderr instead",
    )
    .option("--name <name>", "the file name standard input (-) is scanned under (default: stdin)")
    .addOption(formatOption([...FORMATS, ...REPORT_FORMATS]))
    .addOption(fieldsOption())
    .option(
      "--only-flagged",
      "write only files that are not clean (like clamscan -i); the summary still counts all",
    )
    .addOption(failOnOption());
}

const EXAMPLES = `
Examples:
  $ mdkit scan invoice.pdf
  $ mdkit scan ./inbox --include '*.pdf' --exclude tmp --format csv > results.csv
  $ mdkit scan ./repo --format sarif > mdkit.sarif          # for code scanning
  $ mdkit scan ./artifacts --format junit > mdkit-junit.xml  # for CI test reports
  $ mdkit scan ./inbox --only-flagged --fields path,verdict,threats,found_in
  $ curl -s https://example.com/file.bin | mdkit scan - --name file.bin --format json
  $ mdkit scan ./release --rule sanitize --sanitized-to ./clean --journal release.journal
  $ mdkit scan ./uploads --fail-on infected || echo "infected files found"

Each file gives one row: path, name, verdict, threats, found_in (the flagged files inside an
archive: bundle.zip › docs/eicar.com), sha256, data_id, from_cache, origin (lookup: a finished
result found by hash, nothing sent; upload: sent by this run; resumed: an analysis picked up from
a journal), uploaded_bytes (bytes this run sent), error. Verdicts: clean,
infected, suspicious, blocked, incomplete, failed, cancelled; "error" when the scan itself
failed; "not scanned" when the run stopped first (credentials refused, nothing listening at
the URL, an unknown rule: one message, then every file left is not scanned, never clean).
A summary line goes to stderr: "200 files: 197 clean, 2 infected, 1 failed, 0 not scanned; 4.1 s".
--format sarif: SARIF 2.1.0, one result per flagged file; --format junit: one test case per file
(infected or suspicious: failure; a scan error: error). Patterns of --include / --exclude mean
what they mean in .gitignore: without a slash at any depth, with one from the folder scanned. An entry of a directory that is not scanned (symbolic link, FIFO, socket,
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
      await using cluster = connectCluster(ctx, { url: globalsOf(cmd).url, rule: options.rule });
      // Awaited here: the session is logged out only once the scan is done.
      return await runScan(ctx, cluster.client, paths, options);
    }),
  );
}

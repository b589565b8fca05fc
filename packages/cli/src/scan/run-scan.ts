import { mkdir } from "node:fs/promises";
import { basename } from "node:path";
import type { ClusterClient } from "@mdkit/cluster";
import { ScanJournal, scanFiles, skippedEntryError } from "@mdkit/scan/node";
import type { Context } from "../context.js";
import { CliError } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import type { FailOn } from "../options.js";
import { createRecordWriter, defaultFormat, type Format } from "../output/index.js";
import { expandInputs } from "./inputs.js";
import { Outcome } from "./outcome.js";
import { createProgressView } from "./progress.js";
import { scanColumns } from "./rows.js";
import { settle } from "./settle.js";

/** The options of `mdkit scan` (and `mdkit core ... scan`). */
export interface ScanCommandOptions {
  /** Rule to scan with (the gateway's default rule without it). */
  rule?: string | undefined;
  /** Look each SHA-256 up before uploading. */
  hashFirst: boolean;
  /** Most files on the gateway at once (the limit adapts below it). */
  concurrency?: number | undefined;
  /** Per-file deadline in ms (a timeout is a failure, never clean). */
  timeout?: number | undefined;
  /** Journal file to resume an interrupted run from. */
  journal?: string | undefined;
  /** Directory to download sanitized versions into. */
  sanitizedTo?: string | undefined;
  /** Output format. */
  format?: Format | undefined;
  /** Which verdicts make the exit code 1. */
  failOn: FailOn;
  /** Globs files in directories must match. */
  include?: string[] | undefined;
  /** Globs of files and directories to skip in directories. */
  exclude?: string[] | undefined;
  /** Entries of directories that are not scanned are listed on stderr instead of failing the run. */
  allowSkipped?: boolean | undefined;
}

/**
 * Scans the paths with `scanFiles` (bounded, adaptive concurrency, hash
 * first, fail-closed verdicts), writing one row per file as it finishes and
 * downloading sanitized versions when asked. Returns the exit code: 2 when
 * any file failed or was not analysed, 1 when a verdict matched `--fail-on`,
 * 0 when every file is clean (130 when interrupted).
 */
export async function runScan(
  ctx: Context,
  client: ClusterClient,
  paths: readonly string[],
  options: ScanCommandOptions,
): Promise<number> {
  const format = options.format ?? defaultFormat(ctx.io.stdout);
  const columns = scanColumns(options.sanitizedTo !== undefined);
  await using expanded = await expandInputs(paths, {
    include: options.include ?? [],
    exclude: options.exclude ?? [],
    stdin: ctx.io.stdin,
    ...(options.allowSkipped
      ? { onSkipped: (entry) => ctx.err(`mdkit: ${skippedEntryError(entry).message}\n`) }
      : {}),
  });
  await using journal = options.journal ? await ScanJournal.open(options.journal) : undefined;
  const sanitizedDir = options.sanitizedTo;
  if (sanitizedDir !== undefined) await mkdir(sanitizedDir, { recursive: true });

  const writer = createRecordWriter(format, ctx.out, { columns });
  const progress = createProgressView(ctx.io.stderr, (i) => basename(expanded.displayOf(i)));
  const outcome = new Outcome(options.failOn);
  const max = options.concurrency;
  try {
    const run = scanFiles(client, expanded.inputs, {
      ...(options.rule ? { rule: options.rule } : {}),
      hashFirst: options.hashFirst,
      ...(options.timeout ? { timeoutMs: options.timeout } : {}),
      ...(max ? { concurrency: { initial: Math.min(4, max), max } } : {}),
      journal,
      signal: ctx.signal,
      onProgress: (index, p) => progress.update(index, p),
    });
    for await (const item of run) {
      progress.finished(item.index);
      const path = expanded.displayOf(item.index);
      const { row, verdict, failure } = await settle(ctx, client, item, path, sanitizedDir);
      if (failure) ctx.reportError(failure.error, `mdkit: ${path}: ${failure.what}`);
      outcome.add(verdict);
      await writer.write(Object.fromEntries(columns.map((c) => [c, row[c] ?? null])));
    }
  } finally {
    progress.close();
  }
  await writer.end();
  if (outcome.total === 0) {
    throw new CliError("no files to scan (check the paths and --include/--exclude)");
  }
  if (ctx.io.stderr.isTTY) {
    const { total, failed, matched } = outcome;
    ctx.err(
      `${total} file${total === 1 ? "" : "s"}: ${total - failed - matched} passed, ${matched} matched --fail-on ${options.failOn}, ${failed} failed\n`,
    );
  }
  if (ctx.signal.aborted) return EXIT.interrupted;
  return outcome.exitCode();
}

import { mkdir } from "node:fs/promises";
import type { ClusterClient } from "@mdkit/cluster";
import { type CallbackReceiver, ScanJournal, scanFiles, skippedEntryError } from "@mdkit/scan/node";
import type { Context } from "../context.js";
import { CliError } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { explain } from "../explain/explain.js";
import type { FailOn } from "../options.js";
import { defaultFormat, type ScanFormat } from "../output/index.js";
import { countInputs } from "./count.js";
import { expandInputs } from "./inputs.js";
import { NOT_SCANNED, Outcome } from "./outcome.js";
import { createProgressView } from "./progress.js";
import { createScanReport } from "./report-writer.js";
import { notScannedRow, scanColumns } from "./rows.js";
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
  format?: ScanFormat | undefined;
  /** Only these fields, in this order. */
  fields?: string[] | undefined;
  /** Only files that are not clean are written. */
  onlyFlagged?: boolean | undefined;
  /** The name standard input is scanned under. */
  name?: string | undefined;
  /** Which verdicts make the exit code 1. */
  failOn: FailOn;
  /** Patterns files in directories must match (`.gitignore` meaning). */
  include?: string[] | undefined;
  /** Patterns of files and directories to skip in directories (`.gitignore` meaning). */
  exclude?: string[] | undefined;
  /** Entries of directories that are not scanned are listed on stderr instead of failing the run. */
  allowSkipped?: boolean | undefined;
  /** The receiver of the gateway's callbacks (`--callback-listen`); polling without it. */
  callbacks?: CallbackReceiver | undefined;
}

/**
 * Scans the paths with `scanFiles` (bounded, adaptive concurrency, hash
 * first, fail-closed verdicts), writing one row per file as it finishes and
 * downloading sanitized versions when asked. A failure that every further
 * request would share (credentials refused, nothing listening, no such
 * rule) stops the run at once with one message; the files it did not scan
 * are reported as not scanned, never as clean. A summary line goes to
 * stderr. Returns the exit code: 2 when any file failed or was not scanned,
 * 1 when a verdict matched `--fail-on`, 0 when every file is clean (130
 * when interrupted).
 */
export async function runScan(
  ctx: Context,
  client: ClusterClient,
  paths: readonly string[],
  options: ScanCommandOptions,
): Promise<number> {
  const startedAt = Date.now();
  const started = performance.now();
  const format = options.format ?? defaultFormat(ctx.io.stdout);
  const columns = scanColumns(options.sanitizedTo !== undefined);
  if (options.name !== undefined && !paths.includes("-")) {
    throw new CliError("--name names standard input: pass - among the paths, or leave --name out");
  }
  const report = createScanReport(ctx, format, columns, options);
  await using expanded = await expandInputs(paths, {
    include: options.include ?? [],
    exclude: options.exclude ?? [],
    stdin: ctx.io.stdin,
    stdinName: options.name,
    signal: ctx.signal,
    ...(options.allowSkipped
      ? { onSkipped: (entry) => ctx.err(`mdkit: ${skippedEntryError(entry).message}\n`) }
      : {}),
  });
  await using journal = options.journal ? await ScanJournal.open(options.journal) : undefined;
  const sanitizedDir = options.sanitizedTo;
  if (sanitizedDir !== undefined) await mkdir(sanitizedDir, { recursive: true });

  // Aborted by the first failure that stops the run, or by SIGINT / SIGTERM.
  const stop = new AbortController();
  const signal = AbortSignal.any([ctx.signal, stop.signal]);
  let stoppedBy: string | undefined;
  const progress = await createProgressView(ctx.io.stderr, ctx.io.env);
  // Counted beside the run, for the progress line's total; stopped when the run ends.
  const counting = new AbortController();
  void countInputs(paths, {
    include: options.include ?? [],
    exclude: options.exclude ?? [],
    allowSkipped: options.allowSkipped === true,
    stdinBytes: expanded.stdinBytes,
    signal: AbortSignal.any([signal, counting.signal]),
  })
    .then((size) => progress.setTotal(size.files, size.bytes))
    .catch(() => {});
  const outcome = new Outcome(options.failOn);
  const seen = new Set<number>();
  const notScanned = async (path: string, name: string | null) => {
    outcome.add(NOT_SCANNED);
    await report.write({
      row: notScannedRow(
        path,
        name,
        stoppedBy ?? (ctx.signal.aborted ? "interrupted" : "the run stopped"),
      ),
      result: undefined,
    });
  };
  const max = options.concurrency;
  try {
    const run = scanFiles(client, expanded.inputs, {
      ...(options.rule ? { rule: options.rule } : {}),
      hashFirst: options.hashFirst,
      ...(options.timeout ? { timeoutMs: options.timeout } : {}),
      ...(max ? { concurrency: { initial: Math.min(4, max), max } } : {}),
      journal,
      signal,
      ...(options.callbacks ? { callbacks: options.callbacks } : {}),
      onProgress: (index, p) => progress.update(index, p),
    });
    for await (const item of run) {
      seen.add(item.index);
      const path = expanded.displayOf(item.index);
      if (!item.ok) {
        const explained = explain(item.error, ctx.target);
        if (explained.stopsRun && stoppedBy === undefined) {
          // One message for the run, however many files share the failure.
          stoppedBy = explained.message;
          ctx.err(`mdkit: ${explained.message}\n`);
          if (ctx.debug) ctx.reportError(item.error, "mdkit: first failure: ");
          stop.abort();
        }
        if (explained.stopsRun || signal.aborted) {
          progress.finished(item.index, NOT_SCANNED, 0);
          await notScanned(path, item.source?.name ?? null);
          continue;
        }
      }
      const settled = await settle(ctx, client, item, path, sanitizedDir);
      if (settled.failure) {
        // Messages about a file name it already; others get its path in front.
        const { error, what } = settled.failure;
        const named = !what && ctx.messageOf(error).includes(path);
        ctx.reportError(error, named ? "mdkit: " : `mdkit: ${path}: ${what}`);
      }
      const verdict = String(settled.row.verdict);
      progress.finished(item.index, verdict, item.source?.size ?? 0);
      outcome.add(settled.verdict ?? verdict);
      await report.write({ row: settled.row, result: settled.result });
    }
    // Files handed to the scan but never reported, then those never reached: not scanned.
    for (let index = 0; index < expanded.count; index++) {
      if (!seen.has(index))
        await notScanned(expanded.displayOf(index), expanded.nameOf(index) ?? null);
    }
    if (signal.aborted) {
      for await (const path of expanded.rest()) await notScanned(path, null);
    }
  } finally {
    counting.abort();
    progress.close();
  }
  if (outcome.total === 0) {
    throw new CliError(
      "no files to scan: check the paths and --include / --exclude (see mdkit scan --help)",
    );
  }
  const interrupted = ctx.signal.aborted;
  const elapsedMs = performance.now() - started;
  await report.end({ outcome, elapsedMs, startedAt, interrupted, stoppedBy, rule: options.rule });
  const notScannedCount = outcome.count(NOT_SCANNED);
  if (interrupted)
    ctx.err(`mdkit: interrupted: ${notScannedCount} of ${outcome.total} files not scanned\n`);
  ctx.err(
    `${outcome.summary()}; ${(elapsedMs / 1000).toFixed(1)} s${interrupted ? " (interrupted)" : ""}\n`,
  );
  if (interrupted) return EXIT.interrupted;
  return outcome.exitCode();
}

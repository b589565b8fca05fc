import { type BatchResult, resumeBatch, type SubmittedFile, scanBatch } from "@mdkit/scan/node";
import type { Command } from "commander";
import { connectCluster } from "../connect.js";
import { type Context, globalsOf } from "../context.js";
import { CliError } from "../errors.js";
import { type FailOn, failOnOption, formatOption, integerParser } from "../options.js";
import {
  createRecordWriter,
  defaultFormat,
  type Format,
  project,
  type Row,
  renderTable,
} from "../output/index.js";
import { writeOutputFile } from "../output/output-file.js";
import { toYaml } from "../output/yaml.js";
import { checkFields, fieldsOption } from "../output-options.js";
import { collectFiles } from "../scan/collect-files.js";
import { Outcome } from "../scan/outcome.js";
import { readSubmittedList, writeSubmittedList } from "../scan/submitted-list.js";

/** The environment variable pinning the batch signer (like `--expect-fingerprint`). */
export const FINGERPRINT_VARIABLE = "MDKIT_BATCH_CERT_FINGERPRINT";

const EXAMPLES = `
Examples:
  $ mdkit batch a.pdf b.docx --user-data "release 1.4" --certificate-out release-1.4.yaml
  $ mdkit batch ./release --user-data nightly --expect-fingerprint 5F:1C:...:9E --format json
  $ mdkit batch ./release --user-data nightly --submitted-out nightly.sent
  $ mdkit batch --resume 8f2a61c0b7e34d1f --submitted nightly.sent --certificate-out nightly.yaml

The files are scanned as one batch and its signed result is downloaded. The verdict and the
file list come from that signed result (not from the unsigned status): a submitted file it
does not list is "failed", and a status that disagrees with it keeps the batch from being
clean (the disagreements are listed on stderr and in "contradictions"). The signature is
checked against the certificate sent with it; with --expect-fingerprint (or
${FINGERPRINT_VARIABLE}) the signer must be that certificate ("certificate": "pinned"),
otherwise the result only shows it is consistent with itself ("unpinned"). Output: each file
(name, verdict, sha256, data_id), the batch verdict, the certificate status and the signer's
fingerprints. With --format json, jsonl or yaml: one object with a "files" list; with csv: one
row per file with the batch columns repeated. A summary line goes to stderr:
"batch 8f2a61c0b7e34d1f: clean; 2 files: 2 clean, 0 infected, 0 failed, 0 not scanned; 3.1 s".
A batch that did not finish by --timeout may still be running on the gateway: pick it up with
--resume <batch_id> (no paths). Give it the list --submitted-out wrote as the batch was sent
(--submitted <file>): every file in it must then be in the signed result, with the same SHA-256.
Without it, the file list comes from the signed result alone.
Exit codes: 0 every file clean, 1 a verdict matched --fail-on, 2 a failure, a contradiction, or
a certificate that does not verify (or is not the pinned one).
`;

interface BatchCommandOptions {
  userData?: string;
  resume?: string;
  submitted?: string;
  submittedOut?: string;
  certificateOut?: string;
  rule?: string;
  timeout?: number;
  expectFingerprint?: string;
  allowSkipped?: boolean;
  format?: Format;
  fields?: string[];
  failOn: FailOn;
}

/** The fields of each file of a batch. */
const FILE_FIELDS = ["name", "verdict", "sha256", "data_id", "contradictions"];

function summaryOf(
  batch: BatchResult,
  certificateFile: string | undefined,
  fields: readonly string[] = FILE_FIELDS,
): Row {
  return {
    batch_id: batch.batchId,
    verdict: batch.verdict,
    certificate: batch.certificate.status,
    signer_fingerprint: batch.certificate.fingerprint ?? null,
    signer_fingerprint_sha256: batch.certificate.fingerprint256 ?? null,
    certificate_file: certificateFile ?? null,
    contradictions: batch.contradictions,
    files: batch.files.map((f) =>
      project(
        {
          name: f.name ?? null,
          verdict: f.verdict,
          sha256: f.sha256 ?? null,
          data_id: f.dataId ?? null,
          contradictions: f.contradictions,
        },
        fields,
      ),
    ),
  };
}

/** The line under a table about the certificate: "verified" only for a pinned signer. */
function certificateLine(summary: Row): string {
  const signer = summary.signer_fingerprint_sha256 ?? summary.signer_fingerprint;
  if (summary.certificate === "pinned")
    return `certificate verified against the pinned signer (SHA-256 ${signer})`;
  return `certificate signature consistent, but its signer (SHA-256 ${signer}) is NOT pinned: pass --expect-fingerprint or set ${FINGERPRINT_VARIABLE}`;
}

async function print(
  ctx: Context,
  format: Format,
  summary: Row,
  fields: readonly string[] | undefined,
): Promise<void> {
  const files = summary.files as Row[];
  if (format === "table") {
    const width = ctx.io.stdout.isTTY ? ctx.io.stdout.columns : undefined;
    await ctx.out(
      renderTable(files, fields ?? ["name", "verdict", "sha256", "data_id"], { width }),
    );
    await ctx.out(`\nbatch ${summary.batch_id}: ${summary.verdict}; ${certificateLine(summary)}\n`);
    return;
  }
  if (format === "csv") {
    const writer = createRecordWriter("csv", ctx.out);
    for (const file of files) {
      await writer.write({
        ...file,
        batch_id: summary.batch_id,
        batch_verdict: summary.verdict,
        certificate: summary.certificate,
        signer_fingerprint: summary.signer_fingerprint,
      });
    }
    await writer.end();
    return;
  }
  if (format === "jsonl") {
    await ctx.out(`${JSON.stringify(summary)}\n`);
    return;
  }
  await ctx.out(
    format === "json" ? `${JSON.stringify(summary, null, 2)}\n` : await toYaml(summary),
  );
}

/** The pinned signer: the flag, else the environment variable (trimmed; empty means none). */
function pinnedFingerprint(flag: string | undefined, env: Record<string, string | undefined>) {
  const value = (flag ?? env[FINGERPRINT_VARIABLE])?.trim();
  if (!value) return undefined;
  const hex = value.replace(/[:\s]/g, "");
  if (!/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i.test(hex)) {
    const setting = flag !== undefined ? "--expect-fingerprint" : FINGERPRINT_VARIABLE;
    throw new CliError(
      `${setting} must be a SHA-1 (40 hex digits) or SHA-256 (64 hex digits) fingerprint`,
    );
  }
  return value;
}

/** Says on stderr where the evidence disagrees, and when the signer is not pinned. */
function reportEvidence(ctx: Context, batch: BatchResult): void {
  for (const why of batch.contradictions) ctx.err(`mdkit: batch ${batch.batchId}: ${why}\n`);
  for (const file of batch.files)
    for (const why of file.contradictions) ctx.err(`mdkit: ${file.name ?? file.dataId}: ${why}\n`);
  if (batch.certificate.status !== "pinned") {
    ctx.err(
      `mdkit: the batch certificate's signer is not pinned (SHA-256 ${batch.certificate.fingerprint256 ?? "unknown"}): the signature only matches the certificate sent with it; pass --expect-fingerprint or set ${FINGERPRINT_VARIABLE}\n`,
    );
  }
}

/** `batch <id>: <verdict>; 2 files: 2 clean, 0 infected, 0 failed, 0 not scanned; 3.1 s` (the files only). */
function summaryLine(batch: BatchResult, failOn: FailOn, elapsedMs: number): string {
  const files = new Outcome(failOn);
  for (const file of batch.files) files.add(file.verdict);
  return `batch ${batch.batchId}: ${batch.verdict}; ${files.summary()}; ${(elapsedMs / 1000).toFixed(1)} s\n`;
}

/** Checks that the command names either files to scan (with `--user-data`) or a batch to resume. */
function checkMode(paths: readonly string[], options: BatchCommandOptions): void {
  if (options.resume !== undefined) {
    if (paths.length > 0)
      throw new CliError(
        "--resume picks up a batch that was already sent: pass either paths or --resume <batch_id>, not both",
      );
    if (
      options.userData !== undefined ||
      options.rule !== undefined ||
      options.allowSkipped ||
      options.submittedOut !== undefined
    )
      throw new CliError(
        "--user-data, --rule, --allow-skipped and --submitted-out describe a new batch: leave them out with --resume",
      );
    return;
  }
  if (options.submitted !== undefined)
    throw new CliError(
      "--submitted names the files of a batch being resumed: use it with --resume <batch_id> (a new batch writes its list with --submitted-out)",
    );
  if (paths.length === 0)
    throw new CliError(
      "name the files to scan as a batch, or a batch to pick up with --resume <batch_id>",
    );
  if (options.userData === undefined)
    throw new CliError("a new batch needs a name: pass --user-data <text> (at most 1024 bytes)");
  if (paths.includes("-"))
    throw new CliError(
      "a batch cannot read standard input (-): save it to a file and pass that file",
    );
}

/** `mdkit batch <paths...>`: scans files as one batch; the verdict comes from its signed result. */
export function registerBatch(program: Command, ctx: Context): void {
  program
    .command("batch")
    .description("scan files as one batch; its verdict comes from its signed result")
    .argument("[paths...]", "files, or directories (scanned recursively)")
    .option(
      "--user-data <text>",
      "name of the batch, stored with it (at most 1024 bytes); required for a new batch",
    )
    .option(
      "--resume <batch_id>",
      "pick up a batch that was sent before (e.g. one that timed out) instead of sending files: wait for it and read its signed result",
    )
    .option(
      "--submitted-out <file>",
      "with a new batch: write each file the gateway accepts into it (one JSON line each, synced), for --resume --submitted",
    )
    .option(
      "--submitted <file>",
      "with --resume: the list --submitted-out wrote; every file in it must be in the signed result",
    )
    .option("--certificate-out <file>", "write the signed result (YAML) to this file")
    .option("--rule <name>", "rule for every file of the batch")
    .option(
      "--timeout <ms>",
      "deadline of the whole batch in ms, bounding every upload, wait and request; a timeout is a failure (default: 600000)",
      integerParser(1),
    )
    .option(
      "--expect-fingerprint <hex>",
      `SHA-1 or SHA-256 fingerprint of the certificate that must sign the result (hex, colons allowed; overrides ${FINGERPRINT_VARIABLE})`,
    )
    .option(
      "--allow-skipped",
      "in directories, leave out entries that are not scanned (symbolic links, FIFOs, sockets, devices, unreadable folders) instead of refusing the batch",
    )
    .addOption(formatOption())
    .addOption(fieldsOption())
    .addOption(failOnOption())
    .addHelpText("after", EXAMPLES)
    .action(
      ctx.action(async (paths: string[], options: BatchCommandOptions, cmd: Command) => {
        checkMode(paths, options);
        checkFields(options.fields, FILE_FIELDS);
        const started = performance.now();
        const expectedFingerprint = pinnedFingerprint(options.expectFingerprint, ctx.io.env);
        const common = {
          ...(options.timeout ? { timeoutMs: options.timeout } : {}),
          ...(expectedFingerprint ? { expectedFingerprint } : {}),
          signal: ctx.signal,
        };
        const batch = await (async () => {
          if (options.resume !== undefined) {
            const submitted =
              options.submitted === undefined
                ? undefined
                : await readSubmittedList(options.submitted, (m) => ctx.err(`mdkit: ${m}\n`));
            await using cluster = connectCluster(ctx, { url: globalsOf(cmd).url });
            return await resumeBatch(cluster.client, options.resume, {
              ...common,
              ...(submitted ? { submitted } : {}),
            });
          }
          const files = await collectFiles(paths, {
            allowSkipped: options.allowSkipped === true,
            report: (message) => ctx.err(`mdkit: ${message}\n`),
          });
          if (files.length === 0)
            throw new CliError(
              "no files to scan in the batch: check the paths (folders are walked recursively)",
            );
          await using cluster = connectCluster(ctx, {
            url: globalsOf(cmd).url,
            rule: options.rule,
          });
          await using list =
            options.submittedOut === undefined
              ? undefined
              : await writeSubmittedList(options.submittedOut);
          try {
            return await scanBatch(cluster.client, files, {
              // Present: checkMode refuses a new batch without --user-data.
              userData: options.userData,
              ...(list ? { onSubmitted: (file: SubmittedFile) => list.record(file) } : {}),
              ...(options.rule ? { rule: options.rule } : {}),
              ...common,
            });
          } catch (error) {
            // The explanation names `--resume <batch_id>`; with a list written, the run to pick it up uses it.
            const batchId = (error as { batchId?: unknown } | undefined)?.batchId;
            if (options.submittedOut !== undefined && typeof batchId === "string")
              ctx.err(
                `mdkit: the files sent are listed in ${options.submittedOut}: mdkit batch --resume ${batchId} --submitted ${options.submittedOut}\n`,
              );
            throw error;
          }
        })();
        if (options.certificateOut)
          await writeOutputFile(
            options.certificateOut,
            "--certificate-out",
            batch.certificate.text,
          );
        reportEvidence(ctx, batch);
        await print(
          ctx,
          options.format ?? defaultFormat(ctx.io.stdout),
          summaryOf(batch, options.certificateOut, options.fields),
          options.fields,
        );
        const outcome = new Outcome(options.failOn);
        if (batch.contradictions.length > 0) outcome.add(undefined);
        for (const file of batch.files) outcome.add(file.verdict);
        outcome.add(batch.verdict);
        ctx.err(summaryLine(batch, options.failOn, performance.now() - started));
        return outcome.exitCode();
      }),
    );
}

import { writeFile } from "node:fs/promises";
import { type BatchResult, scanBatch } from "@mdkit/scan/node";
import type { Command } from "commander";
import { stringify } from "yaml";
import { connectCluster } from "../config.js";
import { type Context, globalsOf } from "../context.js";
import { CliError } from "../errors.js";
import { type FailOn, failOnOption, formatOption, integerParser } from "../options.js";
import {
  createRecordWriter,
  defaultFormat,
  type Format,
  type Row,
  renderTable,
} from "../output/index.js";
import { collectFiles } from "../scan/collect-files.js";
import { Outcome } from "../scan/outcome.js";

const EXAMPLES = `
Examples:
  $ mdkit batch a.pdf b.docx --user-data "release 1.4" --certificate-out release-1.4.yaml
  $ mdkit batch ./release --user-data nightly --format json

The files are scanned as one batch; its signed result is downloaded and its signature verified
against the embedded certificate (exit code 2 when it does not verify). Output: each file
(name, verdict, sha256, data_id), the batch verdict and the signer's SHA-1 fingerprint. With
--format json, jsonl or yaml: one object with a "files" list; with csv: one row per file with
the batch columns repeated.
Exit codes: 0 every file clean, 1 a verdict matched --fail-on, 2 a failure or an unverified certificate.
`;

interface BatchCommandOptions {
  userData: string;
  certificateOut?: string;
  rule?: string;
  timeout?: number;
  format?: Format;
  failOn: FailOn;
}

function summaryOf(batch: BatchResult, certificateFile: string | undefined): Row {
  return {
    batch_id: batch.batchId,
    verdict: batch.verdict,
    certificate_verified: batch.verified !== undefined,
    signer_fingerprint: batch.verified?.fingerprint ?? null,
    certificate_file: certificateFile ?? null,
    files: batch.files.map((f) => ({
      name: f.name ?? null,
      verdict: f.verdict,
      sha256: f.sha256 ?? null,
      data_id: f.dataId ?? null,
    })),
  };
}

async function print(ctx: Context, format: Format, summary: Row): Promise<void> {
  const files = summary.files as Row[];
  if (format === "table") {
    await ctx.out(renderTable(files, ["name", "verdict", "sha256", "data_id"]));
    await ctx.out(
      `\nbatch ${summary.batch_id}: ${summary.verdict}; certificate verified, signed by ${summary.signer_fingerprint}\n`,
    );
    return;
  }
  if (format === "csv") {
    const writer = createRecordWriter("csv", ctx.out);
    for (const file of files) {
      await writer.write({
        ...file,
        batch_id: summary.batch_id,
        batch_verdict: summary.verdict,
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
  await ctx.out(format === "json" ? `${JSON.stringify(summary, null, 2)}\n` : stringify(summary));
}

/** `mdkit batch <paths...>`: scans files as one batch with a verified, signed result. */
export function registerBatch(program: Command, ctx: Context): void {
  program
    .command("batch")
    .description("scan files as one batch and verify its signed certificate")
    .argument("<paths...>", "files, or directories (scanned recursively)")
    .requiredOption("--user-data <text>", "name of the batch, stored with it (at most 1024 bytes)")
    .option("--certificate-out <file>", "write the signed result (YAML) to this file")
    .option("--rule <name>", "rule for every file of the batch")
    .option(
      "--timeout <ms>",
      "deadline of the whole batch in ms, bounding every upload, wait and request; a timeout is a failure (default: 600000)",
      integerParser(1),
    )
    .addOption(formatOption())
    .addOption(failOnOption())
    .addHelpText("after", EXAMPLES)
    .action(
      ctx.action(async (paths: string[], options: BatchCommandOptions, cmd: Command) => {
        if (paths.includes("-"))
          throw new CliError("a batch cannot read standard input; pass files");
        const files = await collectFiles(paths);
        if (files.length === 0) throw new CliError("no files to scan in the batch");
        await using cluster = connectCluster(ctx.io.env, globalsOf(cmd).url);
        const batch = await scanBatch(cluster.client, files, {
          userData: options.userData,
          ...(options.rule ? { rule: options.rule } : {}),
          ...(options.timeout ? { timeoutMs: options.timeout } : {}),
          signal: ctx.signal,
        });
        if (options.certificateOut) await writeFile(options.certificateOut, batch.certificate);
        await print(
          ctx,
          options.format ?? defaultFormat(ctx.io.stdout),
          summaryOf(batch, options.certificateOut),
        );
        const outcome = new Outcome(options.failOn);
        for (const file of batch.files) outcome.add(file.verdict);
        outcome.add(batch.verdict);
        return outcome.exitCode();
      }),
    );
}

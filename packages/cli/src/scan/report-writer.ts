import type { Context } from "../context.js";
import { CliError } from "../errors.js";
import { type Format, project, type ScanFormat } from "../output/index.js";
import { recordWriterFor } from "../output-options.js";
import { junitWriter } from "./junit.js";
import type { ScanReportWriter } from "./report.js";
import { artifactUri, sarifWriter } from "./sarif.js";

/** The flags that shape a scan's output. */
export interface ScanOutputFlags {
  /** Only these fields, in this order (record formats). */
  fields?: string[] | undefined;
  /** Only files that are not clean. */
  onlyFlagged?: boolean | undefined;
}

/** Leaves clean files out of a report (`--only-flagged`). */
function onlyFlagged(writer: ScanReportWriter): ScanReportWriter {
  return {
    write: (file) => (file.row.verdict === "clean" ? Promise.resolve() : writer.write(file)),
    end: (run) => writer.end(run),
  };
}

/**
 * The writer of a scan's output: a record format (table, JSON, JSON Lines,
 * CSV, YAML; `--fields` applies), SARIF 2.1.0 or JUnit XML; with
 * `--only-flagged`, clean files are left out of any of them.
 *
 * @throws {CliError} for `--fields` with SARIF or JUnit, or an unknown field.
 */
export function createScanReport(
  ctx: Context,
  format: ScanFormat,
  columns: readonly string[],
  flags: ScanOutputFlags,
): ScanReportWriter {
  let writer: ScanReportWriter;
  if (format === "sarif" || format === "junit") {
    if (flags.fields) {
      throw new CliError(
        `--fields applies to table, json, jsonl, csv and yaml, not to --format ${format}`,
      );
    }
    writer =
      format === "sarif"
        ? sarifWriter(ctx.out, (row) =>
            artifactUri(row.path === "-" ? String(row.name) : String(row.path)),
          )
        : junitWriter(ctx.out);
  } else {
    const records = recordWriterFor(
      ctx,
      { format: format as Format, fields: flags.fields },
      columns,
    );
    writer = {
      write: ({ row }) => records.write(project(row, columns)),
      end: () => records.end(),
    };
  }
  return flags.onlyFlagged ? onlyFlagged(writer) : writer;
}

import type { TextSink } from "../io.js";

/** The output formats of every listing command. */
export const FORMATS = ["table", "json", "jsonl", "csv", "yaml"] as const;

/** The formats of scan reports for CI, besides {@link FORMATS}: SARIF 2.1.0 and JUnit XML. */
export const REPORT_FORMATS = ["sarif", "junit"] as const;

/** One of {@link FORMATS}. */
export type Format = (typeof FORMATS)[number];

/** One of {@link FORMATS} or {@link REPORT_FORMATS}. */
export type ScanFormat = Format | (typeof REPORT_FORMATS)[number];

/**
 * The format when `--format` is not given: a table for a person at a
 * terminal, JSON Lines for a pipe or a file (one record per line, as it arrives).
 */
export function defaultFormat(stdout: TextSink): Format {
  return stdout.isTTY ? "table" : "jsonl";
}

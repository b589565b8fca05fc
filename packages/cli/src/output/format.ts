import type { TextSink } from "../io.js";

/** The output formats of every listing command. */
export const FORMATS = ["table", "json", "jsonl", "csv", "yaml"] as const;

/** One of {@link FORMATS}. */
export type Format = (typeof FORMATS)[number];

/**
 * The format when `--format` is not given: a table for a person at a
 * terminal, JSON Lines for a pipe or a file (one record per line, as it arrives).
 */
export function defaultFormat(stdout: TextSink): Format {
  return stdout.isTTY ? "table" : "jsonl";
}

/** The output flags every listing command shares (`--format`, `--fields`) and the writer they give. */
import { Option } from "commander";
import { colorsFor, paintVerdict } from "./colors.js";
import type { Context } from "./context.js";
import { CliError } from "./errors.js";
import {
  createRecordWriter,
  defaultFormat,
  type Format,
  type RecordWriter,
} from "./output/index.js";

/** The output flags of a listing command. */
export interface OutputFlags {
  /** `--format`. Default: table on a terminal, JSON Lines otherwise. */
  format?: Format | undefined;
  /** `--fields`: only these fields, in this order. */
  fields?: string[] | undefined;
}

/** Parses `--fields a,b,c` (spaces allowed, empty names dropped). */
export function parseFields(value: string): string[] {
  return value
    .split(",")
    .map((f) => f.trim())
    .filter((f) => f !== "");
}

/** `--fields <a,b,c>`. */
export function fieldsOption(): Option {
  return new Option(
    "--fields <names>",
    "only these fields, in this order, in every format (comma-separated, e.g. path,verdict)",
  ).argParser(parseFields);
}

/**
 * Checks `--fields` against the fields a command writes (when they are
 * known up front).
 *
 * @throws {CliError} naming the unknown field and listing the known ones.
 */
export function checkFields(fields: readonly string[] | undefined, known: readonly string[]): void {
  if (fields?.length === 0) throw new CliError("--fields names no field");
  const unknown = fields?.find((f) => !known.includes(f));
  if (unknown !== undefined) {
    throw new CliError(
      `unknown field "${unknown}" in --fields; the fields are: ${known.join(", ")}`,
    );
  }
}

/**
 * The record writer of a command's output flags: its format, its fields
 * (checked against `columns` when given), tables cut to the terminal's
 * width, verdicts coloured on a terminal (unless `NO_COLOR`).
 */
export function recordWriterFor(
  ctx: Context,
  flags: OutputFlags,
  columns?: readonly string[],
): RecordWriter {
  if (columns) checkFields(flags.fields, columns);
  const stdout = ctx.io.stdout;
  const colors = colorsFor(stdout, ctx.io.env);
  return createRecordWriter(flags.format ?? defaultFormat(stdout), ctx.out, {
    columns,
    fields: flags.fields,
    width: stdout.isTTY ? stdout.columns : undefined,
    colorCell: (column, value, text) =>
      column === "verdict" ? paintVerdict(colors, value, text) : text,
  });
}

import { redactText } from "@mdkit/core";
import type { Writer } from "../io.js";
import { cellText, type RecordWriter, type RecordWriterOptions, type Row } from "./row.js";

/** Widest a cell gets before it is cut with `…` (a table is for reading; use another format for data). */
const MAX_CELL = 80;

/** Renders rows as an aligned text table with an upper-case header. */
export function renderTable(rows: readonly Row[], columns: readonly string[]): string {
  const cut = (text: string) => {
    // Redacted before it is cut: a secret cut in half would escape the scrubbing of the output.
    const line = redactText(text).replace(/\s*[\r\n]+\s*/g, " ");
    return line.length > MAX_CELL ? `${line.slice(0, MAX_CELL - 1)}…` : line;
  };
  const cells = [
    columns.map((c) => c.toUpperCase().replaceAll("_", " ")),
    ...rows.map((row) => columns.map((c) => cut(cellText(row[c])))),
  ];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i]?.length ?? 0)));
  return cells
    .map((line) =>
      line
        .map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join("");
}

/**
 * A table for people: every record is kept until `end()`, which prints the
 * columns aligned. Columns are `options.columns`, else every key seen.
 */
export function tableWriter(out: Writer, options: RecordWriterOptions = {}): RecordWriter {
  const rows: Row[] = [];
  return {
    async write(row) {
      rows.push(row);
    },
    async end() {
      const columns = options.columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
      if (columns.length === 0) return;
      await out(renderTable(rows, columns));
    },
  };
}

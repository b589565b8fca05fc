import { redactText } from "@mdkit/core";
import type { Writer } from "../io.js";
import {
  cellText,
  headerOf,
  type RecordWriter,
  type RecordWriterOptions,
  type Row,
} from "./row.js";

/** Widest a cell gets before it is cut with `…` (a table is for reading; use another format for data). */
const MAX_CELL = 80;
/** Narrowest a column is cut to when the table must fit the terminal. */
const MIN_COLUMN = 6;
const GAP = 2;

const cutTo = (text: string, width: number) =>
  text.length > width ? `${text.slice(0, Math.max(1, width - 1))}…` : text;

/**
 * Column widths that fit `width`: the widest columns give up characters
 * first, none below {@link MIN_COLUMN} (or its natural width if smaller).
 */
function fitWidths(natural: number[], width: number | undefined): number[] {
  const widths = [...natural];
  if (width === undefined) return widths;
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP * (widths.length - 1);
  while (total() > width) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      const w = widths[i] as number;
      if (w > MIN_COLUMN && (widest < 0 || w > (widths[widest] as number))) widest = i;
    }
    if (widest < 0) break;
    widths[widest] = Math.max(
      MIN_COLUMN,
      (widths[widest] as number) - Math.max(1, total() - width),
    );
  }
  return widths;
}

/** Options of {@link renderTable}. */
export type RenderTableOptions = Pick<RecordWriterOptions, "width" | "colorCell">;

/**
 * Renders rows as an aligned text table with a header (`deviceId` →
 * `DEVICE ID`), cut to fit `width` when given; points in time as ISO 8601.
 */
export function renderTable(
  rows: readonly Row[],
  columns: readonly string[],
  options: RenderTableOptions = {},
): string {
  const clean = (text: string) =>
    // Redacted before it is cut: a secret cut in half would escape the scrubbing of the output.
    cutTo(redactText(text).replace(/\s*[\r\n]+\s*/g, " "), MAX_CELL);
  const body = rows.map((row) => columns.map((c) => clean(cellText(row[c], c))));
  const header = columns.map(headerOf);
  const natural = columns.map((_, i) =>
    Math.max(header[i]?.length ?? 0, ...body.map((line) => line[i]?.length ?? 0)),
  );
  const widths = fitWidths(natural, options.width);
  const line = (cells: string[], row?: Row) =>
    cells
      .map((cell, i) => {
        const width = widths[i] as number;
        const text = cutTo(cell, width);
        const padded = i === cells.length - 1 ? text : text.padEnd(width);
        const column = columns[i] as string;
        return row && options.colorCell ? options.colorCell(column, row[column], padded) : padded;
      })
      .join(" ".repeat(GAP))
      .trimEnd();
  return [line(header), ...body.map((cells, i) => line(cells, rows[i]))]
    .map((text) => `${text}\n`)
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
      await out(renderTable(rows, columns, options));
    },
  };
}

import type { Writer } from "../io.js";
import { cellText, type RecordWriter, type RecordWriterOptions } from "./row.js";

/** A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
export function csvField(value: unknown, key?: string): string {
  const text = cellText(value, key);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * CSV (RFC 4180, CRLF line ends): a header line, then one line per record
 * as it arrives. Columns are `options.columns`, else the first record's keys;
 * points in time are written as ISO 8601 (UTC).
 */
export function csvWriter(out: Writer, options: RecordWriterOptions = {}): RecordWriter {
  let columns = options.columns;
  let started = false;
  const header = async (cols: readonly string[]) => {
    started = true;
    await out(`${cols.map((c) => csvField(c)).join(",")}\r\n`);
  };
  return {
    async write(row) {
      columns ??= Object.keys(row);
      if (!started) await header(columns);
      await out(`${columns.map((c) => csvField(row[c], c)).join(",")}\r\n`);
    },
    async end() {
      if (!started && columns) await header(columns);
    },
  };
}

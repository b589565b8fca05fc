/** One record of a listing: a flat object whose values are scalars, arrays or nested objects. */
export type Row = Record<string, unknown>;

/** Writes records in one format, as they come; `end()` completes the document. */
export interface RecordWriter {
  /** Writes one record (buffered only by formats that need every record first, i.e. tables). */
  write(row: Row): Promise<void>;
  /** Completes the output (closing bracket, table, or header of an empty CSV). */
  end(): Promise<void>;
}

/** Options of the record writers. */
export interface RecordWriterOptions {
  /** Columns, in order, for tables and CSV. Default: the keys of the first record. */
  columns?: readonly string[] | undefined;
}

/**
 * A value as the text of a table or CSV cell: empty for null, arrays joined
 * with `; `, objects as JSON.
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(cellText).join("; ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

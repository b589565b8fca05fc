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
  /**
   * Only these fields, in this order, in every format (`--fields`). A field a
   * record lacks is written as null.
   */
  fields?: readonly string[] | undefined;
  /** Widest a table may be, in characters (the terminal's width). Default: no limit. */
  width?: number | undefined;
  /** Colours a table cell (after padding): the verdict colours on a terminal. */
  colorCell?: ((column: string, value: unknown, text: string) => string) | undefined;
}

const TIME_KEY = /(?:^|_)(?:timestamp|time|date|seen|at)$|[a-z](?:Time|Date|Seen|At|Timestamp)$/;
const NOT_A_TIME = /_ms$|Ms$|duration|processing/i;
/** Milliseconds since the epoch between 1973 and 5138: outside, a number is not taken for a time. */
const isEpochMs = (value: number) => Number.isFinite(value) && value >= 1e11 && value < 1e14;

/**
 * Whether a field holds a point in time in ms since the epoch (by its name:
 * `timestamp`, `start_time`, `lastSeen`, `enrolledAt`, ...; not `*_ms` durations).
 */
export function isTimeField(key: string): boolean {
  return TIME_KEY.test(key) && !NOT_A_TIME.test(key);
}

/**
 * A value as the text of a table or CSV cell: empty for null, arrays joined
 * with `; `, objects as JSON, and a point in time (see {@link isTimeField})
 * as ISO 8601 in UTC. JSON, JSON Lines and YAML keep the raw numbers.
 */
export function cellText(value: unknown, key?: string): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map((v) => cellText(v)).join("; ");
  if (typeof value === "object") return JSON.stringify(value);
  if (typeof value === "number" && key !== undefined && isEpochMs(value) && isTimeField(key)) {
    return new Date(value).toISOString();
  }
  return String(value);
}

/**
 * The header of a column for people: words upper-cased and separated,
 * whether the field is snake_case or camelCase (`deviceId` → `DEVICE ID`).
 */
export function headerOf(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toUpperCase();
}

/** The record with only `fields`, in their order (null for a missing one). */
export function project(row: Row, fields: readonly string[]): Row {
  return Object.fromEntries(fields.map((f) => [f, row[f] ?? null]));
}

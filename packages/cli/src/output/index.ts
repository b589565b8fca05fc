/**
 * Output of the listing commands: one writer per format, all taking records
 * as they come, so that JSON, JSON Lines, CSV and YAML stream and only a
 * table waits for the last record.
 */
import type { Writer } from "../io.js";
import { csvWriter } from "./csv.js";
import type { Format } from "./format.js";
import { jsonWriter } from "./json.js";
import { jsonlWriter } from "./jsonl.js";
import type { RecordWriter, RecordWriterOptions } from "./row.js";
import { tableWriter } from "./table.js";
import { yamlWriter } from "./yaml.js";

export { defaultFormat, FORMATS, type Format } from "./format.js";
export { cellText, type RecordWriter, type RecordWriterOptions, type Row } from "./row.js";
export { renderTable } from "./table.js";

/** The record writer of `format`, writing to `out`. */
export function createRecordWriter(
  format: Format,
  out: Writer,
  options: RecordWriterOptions = {},
): RecordWriter {
  switch (format) {
    case "json":
      return jsonWriter(out);
    case "jsonl":
      return jsonlWriter(out);
    case "csv":
      return csvWriter(out, options);
    case "yaml":
      return yamlWriter(out);
    case "table":
      return tableWriter(out, options);
  }
}

/**
 * Output of the listing commands: one writer per format, all taking records
 * as they come, so that JSON, JSON Lines, CSV and YAML stream and only a
 * table waits for the last record. `--fields` applies to every format.
 */
import type { Writer } from "../io.js";
import { csvWriter } from "./csv.js";
import type { Format } from "./format.js";
import { jsonWriter } from "./json.js";
import { jsonlWriter } from "./jsonl.js";
import { project, type RecordWriter, type RecordWriterOptions } from "./row.js";
import { tableWriter } from "./table.js";
import { yamlWriter } from "./yaml.js";

export { defaultFormat, FORMATS, type Format, REPORT_FORMATS, type ScanFormat } from "./format.js";
export {
  cellText,
  headerOf,
  isTimeField,
  project,
  type RecordWriter,
  type RecordWriterOptions,
  type Row,
} from "./row.js";
export { renderTable } from "./table.js";

function writerOf(format: Format, out: Writer, options: RecordWriterOptions): RecordWriter {
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

/** The record writer of `format`, writing to `out`; with `options.fields`, only those fields. */
export function createRecordWriter(
  format: Format,
  out: Writer,
  options: RecordWriterOptions = {},
): RecordWriter {
  const fields = options.fields;
  if (!fields) return writerOf(format, out, options);
  const writer = writerOf(format, out, { ...options, columns: fields });
  return {
    write: (row) => writer.write(project(row, fields)),
    end: () => writer.end(),
  };
}

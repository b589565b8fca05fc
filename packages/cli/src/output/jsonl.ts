import type { Writer } from "../io.js";
import type { RecordWriter } from "./row.js";

/** JSON Lines: one compact JSON object per line, written as each record arrives. */
export function jsonlWriter(out: Writer): RecordWriter {
  return {
    write: (row) => out(`${JSON.stringify(row)}\n`),
    end: async () => {},
  };
}

import type { Writer } from "../io.js";
import type { RecordWriter } from "./row.js";

/**
 * One JSON array, streamed: `[` first, each record as it arrives, `]` at the
 * end, so a long listing never sits in memory.
 */
export function jsonWriter(out: Writer): RecordWriter {
  let count = 0;
  return {
    write: (row) => out(`${count++ === 0 ? "[\n" : ",\n"}  ${JSON.stringify(row)}`),
    end: () => out(count === 0 ? "[]\n" : "\n]\n"),
  };
}

import { stringify } from "yaml";
import type { Writer } from "../io.js";
import type { RecordWriter } from "./row.js";

/**
 * One YAML sequence, streamed: each record becomes a `- ` item as it
 * arrives; an empty listing is `[]`.
 */
export function yamlWriter(out: Writer): RecordWriter {
  let count = 0;
  return {
    write: (row) => {
      count++;
      return out(stringify([row]));
    },
    end: () => (count === 0 ? out("[]\n") : Promise.resolve()),
  };
}

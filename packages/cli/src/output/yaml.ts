import { stringify } from "yaml";
import type { Writer } from "../io.js";
import type { RecordWriter } from "./row.js";

/**
 * One YAML sequence, streamed: each record becomes a `- ` item as it
 * arrives; an empty listing is `[]`. Long strings are never folded over
 * lines, so a value (and a secret in it) stays whole on one line.
 */
export function yamlWriter(out: Writer): RecordWriter {
  let count = 0;
  return {
    write: (row) => {
      count++;
      return out(stringify([row], { lineWidth: 0 }));
    },
    end: () => (count === 0 ? out("[]\n") : Promise.resolve()),
  };
}

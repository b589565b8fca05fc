import type { Writer } from "../io.js";
import type { RecordWriter } from "./row.js";

/** `yaml`'s `stringify`, loaded on first use (most runs never write YAML). */
let stringify: typeof import("yaml").stringify | undefined;

/**
 * A value as a YAML document. Long strings are never folded over lines, so a
 * value (and a secret in it) stays whole on one line.
 */
export async function toYaml(value: unknown): Promise<string> {
  stringify ??= (await import("yaml")).stringify;
  return stringify(value, { lineWidth: 0 });
}

/**
 * One YAML sequence, streamed: each record becomes a `- ` item as it
 * arrives; an empty listing is `[]`. Long strings are never folded.
 */
export function yamlWriter(out: Writer): RecordWriter {
  let count = 0;
  return {
    write: async (row) => {
      count++;
      await out(await toYaml([row]));
    },
    end: () => (count === 0 ? out("[]\n") : Promise.resolve()),
  };
}

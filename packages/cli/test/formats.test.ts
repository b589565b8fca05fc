import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { createRecordWriter, type Format } from "../src/output/index.js";
import {
  EICAR,
  jsonl,
  parseCsv,
  run,
  startServer,
  type TestServer,
  tempFiles,
  unique,
} from "./helpers.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.sim.close());

/** Parses each format back into rows of strings and arrays, to compare them. */
const parsers: Record<Exclude<Format, "table">, (text: string) => Record<string, unknown>[]> = {
  json: (text) => JSON.parse(text) as Record<string, unknown>[],
  jsonl,
  yaml: (text) => parseYaml(text) as Record<string, unknown>[],
  csv: parseCsv,
};

describe("--format", () => {
  it.each(Object.keys(parsers) as Exclude<Format, "table">[])(
    "%s output of a scan parses back to the same rows",
    async (format) => {
      await using dir = await tempFiles({
        "eicar.com": EICAR,
        'quote "and", comma.txt': unique("odd name"),
      });
      const { code, stdout } = await run(["scan", dir.path, "--format", format], {
        env: server.env,
      });
      expect(code).toBe(1);
      const rows = parsers[format](stdout);
      expect(rows).toHaveLength(2);
      const byName = Object.fromEntries(rows.map((r) => [String(r.name), r]));
      expect(byName["eicar.com"]?.verdict).toBe("infected");
      expect(byName['quote "and", comma.txt']?.verdict).toBe("clean");
      expect(Object.keys(rows[0] ?? {})).toEqual([
        "path",
        "name",
        "verdict",
        "threats",
        "found_in",
        "sha256",
        "data_id",
        "from_cache",
        "origin",
        "uploaded_bytes",
        "error",
      ]);
      if (format !== "csv") {
        // Structured formats keep types: arrays, booleans and nulls.
        expect(byName["eicar.com"]?.threats).toEqual([expect.stringMatching(/EICAR/)]);
        expect(byName["eicar.com"]?.from_cache).toBeTypeOf("boolean");
        // Earlier formats scanned the same content: a hash hit sends nothing.
        const eicar = byName["eicar.com"];
        expect(eicar?.origin).toBe(eicar?.from_cache ? "lookup" : "upload");
        expect(eicar?.uploaded_bytes === 0).toBe(eicar?.origin === "lookup");
        expect(byName["eicar.com"]?.error).toBeNull();
      } else {
        expect(byName["eicar.com"]?.threats).toMatch(/EICAR/);
      }
    },
  );

  it("table output is aligned with an upper-case header", async () => {
    const { code, stdout } = await run(["rules", "--format", "table"], { env: server.env });
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+MAX FILE SIZE$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual([
      "multiscan",
      "sanitize",
      "strict",
    ]);
    expect(lines[1]?.indexOf("1073741824")).toBe(lines[0]?.indexOf("MAX"));
  });

  it("an empty listing is still a valid document in every format", async () => {
    const outputs: Record<string, string> = {};
    for (const format of ["json", "jsonl", "csv", "yaml", "table"] as const) {
      let text = "";
      const writer = createRecordWriter(
        format,
        async (chunk) => {
          text += chunk;
        },
        { columns: ["a", "b"] },
      );
      await writer.end();
      outputs[format] = text;
    }
    expect(JSON.parse(outputs.json ?? "")).toEqual([]);
    expect(outputs.jsonl).toBe("");
    expect(outputs.csv).toBe("a,b\r\n");
    expect(parseYaml(outputs.yaml ?? "")).toEqual([]);
    expect(outputs.table).toBe("A  B\n");
  });
});

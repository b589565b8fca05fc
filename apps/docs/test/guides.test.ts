/**
 * The guides keep up with the code they describe: "Errors and retries"
 * names every error class the published entry points export (a new class
 * fails this test until the guide says what it means and what to do).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { MdkitError } from "@mdkit/core";
import { describe, expect, it } from "vitest";
import { apiEntries } from "../scripts/packages.mjs";
import { srcDir } from "../scripts/site.mjs";

describe("Errors and retries", () => {
  it("names every exported error class", async () => {
    const classes = new Map<string, string>();
    for (const entry of apiEntries()) {
      const exports = (await import(entry.importPath)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(exports)) {
        const isError =
          typeof value === "function" &&
          (value === MdkitError || value.prototype instanceof MdkitError);
        if (isError && !classes.has(name)) classes.set(name, entry.importPath);
      }
    }
    expect(classes.size).toBeGreaterThan(20);
    const guide = await readFile(join(srcDir, "guides", "errors-and-retries.md"), "utf8");
    const missing = [...classes]
      .filter(([name]) => !new RegExp(`^\\| \`${name}\` \\|`, "m").test(guide))
      .map(([name, from]) => `${name} (${from})`);
    expect(missing, "error classes without a row in guides/errors-and-retries.md").toEqual([]);
  });
});

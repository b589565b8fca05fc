#!/usr/bin/env node
// Fails when a committed file under packages/*/src/generated differs from a
// fresh generation from specs/*.yaml (someone edited the spec and forgot to
// regenerate, or edited generated code by hand).
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generate, TARGETS } from "./generate-client.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
let drift = 0;
for (const name of Object.keys(TARGETS)) {
  for (const [file, expected] of Object.entries(await generate(name))) {
    const actual = await readFile(join(root, file), "utf8").catch(() => null);
    if (actual !== expected) {
      drift++;
      console.error(
        `drift: ${file} ${actual === null ? "is missing" : "differs from a fresh generation"}`,
      );
    }
  }
}
if (drift) {
  console.error(
    `${drift} generated file(s) out of date: run \`pnpm generate\` and commit the result.`,
  );
  process.exit(1);
}
console.log("generated code matches the specs");

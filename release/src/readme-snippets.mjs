#!/usr/bin/env node
/**
 * Type-checks every TypeScript block of every README against the built
 * workspace packages, as a user's strict project would (`nodenext`, `strict`,
 * `exactOptionalPropertyTypes`). Errors point at the README line. The
 * consumer smoke test (`smoke.mjs`) checks them again from the packed
 * tarballs and runs the blocks marked `runnable`.
 *
 * Usage: node release/src/readme-snippets.mjs   (after `pnpm build`)
 */
import { writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { run, seconds } from "./internal/run.mjs";
import { extractSnippets, toReadmeLocations, writeSnippets } from "./internal/snippets.mjs";
import { repoRoot } from "./internal/workspace.mjs";

const started = performance.now();
const snippets = await extractSnippets();
// Inside the private `release` package, so `@mdkit/*` resolve to the built workspace packages.
const dir = join(repoRoot, "release", ".tmp", "snippets");
await writeSnippets(snippets, dir);
await writeFile(
  join(dir, "tsconfig.json"),
  JSON.stringify({
    compilerOptions: {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      lib: ["ES2023"],
      types: ["node"],
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      noEmit: true,
    },
    include: ["*.ts"],
  }),
);
const tsc = createRequire(join(repoRoot, "release", "package.json")).resolve("typescript/bin/tsc");
const result = await run(process.execPath, [
  tsc,
  "-p",
  join(dir, "tsconfig.json"),
  "--pretty",
  "false",
]);
const readmes = new Set(snippets.map((snippet) => snippet.readme)).size;
const runnable = snippets.filter((snippet) => snippet.runnable).length;
if (result.code !== 0) {
  console.error(toReadmeLocations(result.stdout + result.stderr, snippets).trim());
  console.error(
    `README snippets: the TypeScript blocks above do not type-check (${snippets.length} checked)`,
  );
  process.exit(1);
}
console.log(
  `README snippets: ${snippets.length} TypeScript blocks from ${readmes} READMEs type-check ` +
    `(${runnable} marked runnable) in ${seconds(performance.now() - started)}`,
);

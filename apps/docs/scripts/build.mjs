/**
 * `pnpm docs:build`: generates the reference pages, then builds the site with
 * VitePress into `apps/docs/dist`. Needs the packages built (turbo's `^build`):
 * the CLI reference runs the built CLI. Nothing is fetched from the network.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { build } from "vitepress";
import { generateReference } from "./generate.mjs";
import { docsRoot } from "./site.mjs";

const started = performance.now();
const { manifest, warnings, gaps } = await generateReference();
const generated = performance.now();
// Every export is documented with an example, and every link of the TSDoc resolves: a gap fails
// the build here, before VitePress runs (an export meant only for the mdkit packages is `@internal`).
if (gaps.length > 0 || warnings > 0) {
  console.error(
    `[@mdkit/docs] ${gaps.length} export(s) without TSDoc or an @example, ${warnings} TypeDoc warning(s) (above):\n${gaps.map((gap) => `  ${gap}`).join("\n")}`,
  );
  process.exit(1);
}
await build(docsRoot);

// The gap list (empty when the build gets here), for tools that read it.
const gapsFile = join(docsRoot, ".tmp", "tsdoc-gaps.txt");
await mkdir(join(docsRoot, ".tmp"), { recursive: true });
await writeFile(gapsFile, gaps.length ? `${gaps.join("\n")}\n` : "");

const seconds = (/** @type {number} */ from, /** @type {number} */ to) =>
  ((to - from) / 1000).toFixed(1);
const operations = manifest.http.reduce(
  (sum, spec) => sum + spec.tags.reduce((count, tag) => count + tag.operations.length, 0),
  0,
);
console.log(
  `[@mdkit/docs] site written to apps/docs/dist in ${seconds(started, performance.now())} s ` +
    `(reference generated in ${seconds(started, generated)} s): ${manifest.api.length} API entries, ` +
    `${manifest.cli.length} CLI commands, ${operations} HTTP operations; TypeDoc warnings: ${warnings}; ` +
    `TSDoc gaps: ${gaps.length} (apps/docs/.tmp/tsdoc-gaps.txt)`,
);

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
await build(docsRoot);

// Exports without a TSDoc comment and functions without an @example, for whoever improves them.
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

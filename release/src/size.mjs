#!/usr/bin/env node
/**
 * Size budgets: bundles every JavaScript entry of every published package the
 * way an application's bundler would (esbuild, minified, ESM, everything it
 * imports included) for its platform in `release/size-budgets.json`, and fails
 * when the gzip size exceeds the budget, when an entry has no budget, or when a
 * browser bundle imports a `node:` module. Prints the largest modules of each.
 *
 * Usage: node release/src/size.mjs            check (after `pnpm build`)
 *        node release/src/size.mjs --update   set every budget to today's figure plus
 *                                             2 % headroom (rounded up to 100 B), so a
 *                                             small fix does not fail the check while
 *                                             real growth still does
 * Writes .tmp/release/size.json (read by report.mjs).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { readBudgets, writeBudgets } from "./internal/budgets.mjs";
import { publicPackages, repoRoot, reportDir } from "./internal/workspace.mjs";

const update = process.argv.includes("--update");

/** A budget for a measured size: 2 % above it, rounded up to the next 100 bytes. */
function withHeadroom(gzipBytes) {
  return Math.ceil((gzipBytes * 1.02) / 100) * 100;
}
const budgets = await readBudgets();
const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

/**
 * A module's path as a reader knows it: `openapi-fetch/dist/index.js`, `@mdkit/core/dist/errors.js`.
 *
 * @param {string} path an esbuild metafile input path.
 */
function moduleName(path) {
  const inPackages = /(?:^|\/)packages\/([^/]+)\/(.+)$/.exec(path);
  const inModules = path.split("node_modules/").at(-1) ?? path;
  if (path.includes("node_modules/")) return inModules;
  return inPackages ? `@mdkit/${inPackages[1]}/${inPackages[2]}` : path;
}

/**
 * Bundles one entry.
 *
 * @param {string} entry import specifier, e.g. `@mdkit/scan`.
 * @param {"browser" | "node"} platform
 * @param {string[]} external optional peers, loaded on demand by the package and not shipped with it
 */
async function measure(entry, platform, external) {
  const result = await build({
    // Everything the entry exports: what an application importing it could pull in.
    stdin: { contents: `export * from "${entry}";`, resolveDir: join(repoRoot, "release") },
    bundle: true,
    minify: true,
    format: "esm",
    platform,
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
    external,
  });
  const output = result.outputFiles[0]?.contents ?? new Uint8Array();
  const meta = Object.values(result.metafile.outputs)[0];
  const largest = Object.entries(meta?.inputs ?? {})
    .map(([path, input]) => ({ module: moduleName(path), bytes: input.bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 5);
  const nodeImports = [
    ...new Set(
      Object.values(result.metafile.inputs).flatMap((input) =>
        input.imports.filter((i) => i.path.startsWith("node:") || i.external).map((i) => i.path),
      ),
    ),
  ];
  return {
    minifiedBytes: output.byteLength,
    gzipBytes: gzipSync(output, { level: 9 }).byteLength,
    largest,
    nodeImports,
  };
}

const rows = [];
const problems = [];
for (const pkg of publicPackages()) {
  for (const entry of pkg.codeEntries) {
    const budget = budgets[entry];
    // A new entry: Node-only when it is a `/node` subpath or belongs to a package with a bin.
    const platform =
      budget?.platform ??
      (entry.endsWith("/node") || pkg.manifest.bin || pkg.manifest.dependencies?.bullmq
        ? "node"
        : "browser");
    // An optional peer (the CLI's simulator and queue) is installed by the user, if at all.
    const external = Object.keys(pkg.manifest.peerDependencies ?? {});
    let measured;
    try {
      measured = await measure(entry, platform, external);
    } catch (error) {
      const messages = error?.errors?.map((e) => e.text).join("; ") ?? String(error);
      problems.push(`${entry} (${platform}): the bundle failed: ${messages}`);
      continue;
    }
    if (platform === "browser" && measured.nodeImports.length) {
      problems.push(`${entry}: the browser bundle imports ${measured.nodeImports.join(", ")}`);
    }
    if (update) budgets[entry] = { platform, gzipBytes: withHeadroom(measured.gzipBytes) };
    else if (!budget) {
      problems.push(
        `${entry} has no size budget: run \`node release/src/size.mjs --update\` and review release/size-budgets.json`,
      );
    } else if (measured.gzipBytes > budget.gzipBytes) {
      problems.push(
        `${entry}: ${measured.gzipBytes} B gzip, over its budget of ${budget.gzipBytes} B by ${measured.gzipBytes - budget.gzipBytes} B (find what grew in the largest modules above; if the growth is intended, run \`node release/src/size.mjs --update\`)`,
      );
    }
    rows.push({
      package: pkg.name,
      entry,
      platform,
      ...measured,
      budget: budgets[entry]?.gzipBytes,
    });
  }
}
if (update) await writeBudgets(budgets);

console.log(
  "entry".padEnd(34),
  "platform",
  "minified".padStart(10),
  "gzip".padStart(9),
  "budget".padStart(9),
);
for (const row of rows) {
  console.log(
    row.entry.padEnd(34),
    row.platform.padEnd(8),
    kB(row.minifiedBytes).padStart(10),
    kB(row.gzipBytes).padStart(9),
    (row.budget === undefined ? "none" : kB(row.budget)).padStart(9),
  );
  console.log(`    largest: ${row.largest.map((m) => `${m.module} ${kB(m.bytes)}`).join(", ")}`);
}
await mkdir(reportDir, { recursive: true });
await writeFile(join(reportDir, "size.json"), `${JSON.stringify({ rows, problems }, null, 2)}\n`);
if (problems.length) {
  console.error(problems.map((p) => `size: ${p}`).join("\n"));
  process.exitCode = 1;
} else {
  console.log(
    `size budgets: ${rows.length} entries ${update ? "measured, budgets updated" : "within budget"} (kB = 1000 bytes; minified, gzip -9)`,
  );
}

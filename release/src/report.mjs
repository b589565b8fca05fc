#!/usr/bin/env node
/**
 * The release table: package × (ESM, types nodenext, types bundler, types
 * portable, attw, size gz), as Markdown, from the reports the smoke test,
 * attw and the size check wrote to .tmp/release/. A column whose check did not
 * run says so.
 *
 * Usage: node release/src/report.mjs
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { publicPackages, reportDir } from "./internal/workspace.mjs";

/** @param {string} name */
const load = (name) => {
  const file = join(reportDir, `${name}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
};
const smoke = load("smoke");
const attw = load("attw");
const size = load("size");

/**
 * One cell from named results: ✓ when all that apply passed, ✗ naming the failures.
 *
 * @param {Record<string, boolean | null | undefined> | undefined} results
 * @param {(key: string) => string} label
 */
function cell(results, label = (key) => key) {
  if (!results) return "not run";
  const applied = Object.entries(results).filter(([, ok]) => ok !== null && ok !== undefined);
  if (!applied.length) return "n/a";
  const failed = applied.filter(([, ok]) => !ok).map(([key]) => label(key));
  const passed = applied.filter(([, ok]) => ok).map(([key]) => label(key));
  return failed.length ? `✗ ${failed.join(", ")}` : `✓ ${passed.join(", ")}`;
}

/** @param {Record<string, boolean | null>} types @param {string[]} kinds */
const pick = (types, kinds) =>
  Object.fromEntries(
    Object.entries(types ?? {}).filter(([key]) => kinds.includes(key.split("@")[0] ?? "")),
  );

const typeLabel = (key) => {
  const [kind, version] = key.split("@");
  return kind === "node-lib" ? `TS ${version} no DOM` : `TS ${version}`;
};
const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

const rows = publicPackages().map((pkg) => {
  const result = smoke?.results?.[pkg.name];
  const sizes = (size?.rows ?? [])
    .filter((row) => row.package === pkg.name)
    .map(
      (row) =>
        `${row.entry.slice(pkg.name.length) || "."} ${kB(row.gzipBytes)}${row.platform === "node" ? " (node)" : ""}`,
    );
  return [
    pkg.name,
    result ? cell(result.esm) : "not run",
    result ? cell(pick(result.types, ["nodenext", "node-lib"]), typeLabel) : "not run",
    result ? cell(pick(result.types, ["bundler"]), typeLabel) : "not run",
    result ? cell(pick(result.types, ["portable"]), typeLabel) : "not run",
    attw?.[pkg.name]
      ? attw[pkg.name].ok
        ? "✓"
        : `✗ ${attw[pkg.name].problems.join(", ")}`
      : "not run",
    sizes.length ? sizes.join("; ") : "not run",
  ];
});

const header = [
  "package",
  "ESM (import + require)",
  "types nodenext",
  "types bundler",
  "types portable (no @types/node)",
  "attw esm-only",
  "size gz (min+gzip)",
];
console.log(`| ${header.join(" | ")} |`);
console.log(`| ${header.map(() => "---").join(" | ")} |`);
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
if (smoke?.steps) {
  console.log("\nconsumer smoke test steps:");
  for (const step of smoke.steps) {
    console.log(
      `  ${step.ok ? "ok  " : "FAIL"} ${(step.ms / 1000).toFixed(1).padStart(6)} s  ${step.step}`,
    );
  }
}

#!/usr/bin/env node
/**
 * "Are the types wrong?" on every published package: `attw --pack <dir>
 * --profile esm-only`, which packs the package and resolves each entry's
 * JavaScript and declarations the way Node 16+ (ESM) and bundlers do. The
 * spec exports (`openapi.yaml`) are data files, not modules: they are left out.
 *
 * Usage: node release/src/attw.mjs   (after `pnpm build`)
 * Writes .tmp/release/attw.json (read by report.mjs).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { run, seconds, twoAtATime } from "./internal/run.mjs";
import { publicPackages, repoRoot, reportDir } from "./internal/workspace.mjs";

/** Resolution kinds the esm-only profile ignores: CommonJS and pre-exports resolution. */
const IGNORED = new Set(["node10", "node16-cjs"]);

const require = createRequire(join(repoRoot, "release", "package.json"));
const cliPackage = require.resolve("@arethetypeswrong/cli/package.json");
const attw = join(cliPackage, "..", require(cliPackage).bin.attw);
const started = performance.now();
/** @type {Record<string, { ok: boolean, problems: string[] }>} */
const results = {};
/** Checks one package and prints its line. */
async function check(pkg) {
  const args = [attw, "--pack", pkg.path, "--profile", "esm-only", "--format", "json"];
  const assets = Object.keys(pkg.assetEntries).map((e) => `./${e.slice(pkg.name.length + 1)}`);
  if (assets.length) args.push("--exclude-entrypoints", ...assets);
  const result = await run(process.execPath, args, { cwd: repoRoot, timeoutMs: 300_000 });
  let problems;
  try {
    const report = JSON.parse(result.stdout);
    problems = (report.analysis?.problems ?? [])
      .filter((problem) => !IGNORED.has(problem.resolutionKind))
      .map((problem) => `${problem.kind} (${problem.entrypoint}, ${problem.resolutionKind})`);
  } catch {
    problems = [`attw failed: ${result.stderr || result.stdout}`];
  }
  const ok = result.code === 0 && problems.length === 0;
  results[pkg.name] = { ok, problems };
  console.log(
    `${ok ? "ok  " : "FAIL"} ${pkg.name}${problems.length ? `: ${problems.join(", ")}` : ""}`,
  );
}

await twoAtATime(publicPackages(), check);
await mkdir(reportDir, { recursive: true });
const sorted = Object.fromEntries(Object.entries(results).sort(([a], [b]) => a.localeCompare(b)));
await writeFile(join(reportDir, "attw.json"), `${JSON.stringify(sorted, null, 2)}\n`);
const failed = Object.values(results).filter((r) => !r.ok).length;
console.log(
  `attw (esm-only profile): ${Object.keys(results).length - failed} packages clean, ${failed} with problems, in ${seconds(performance.now() - started)}`,
);
if (failed) process.exitCode = 1;

#!/usr/bin/env node
/**
 * Before `changeset publish`: the versions are applied (no changeset is
 * pending: run `pnpm changeset version` and commit its result first) and the
 * working tree is committed (what is published is what is tagged).
 *
 * Usage: node release/src/preflight.mjs   (the first step of `pnpm release`)
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { run } from "./internal/run.mjs";
import { repoRoot } from "./internal/workspace.mjs";

const problems = [];
const pending = (await readdir(join(repoRoot, ".changeset"))).filter(
  (file) => file.endsWith(".md") && file !== "README.md",
);
if (pending.length) {
  problems.push(
    `${pending.length} changesets are pending (${pending.join(", ")}): run \`pnpm changeset version\`, review and commit the versions and changelogs, then release`,
  );
}
const status = await run("git", ["status", "--porcelain"], { cwd: repoRoot });
if (status.code !== 0 || status.stdout.trim()) {
  problems.push(
    "the working tree has uncommitted changes: commit them first (the release is tagged)",
  );
}
if (problems.length) {
  console.error(problems.map((p) => `release: ${p}`).join("\n"));
  process.exit(1);
}
console.log("release preflight: versions applied, working tree clean");

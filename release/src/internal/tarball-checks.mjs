/**
 * What a packed tarball must hold: the LICENSE, the README, a publishable
 * manifest, every file its `exports` and `bin` name, and the specs byte for
 * byte — and no tests or build leftovers.
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { TARGETS } from "../../../packages/codegen/src/spec-targets.mjs";
import { manifestProblems } from "./manifest-rules.mjs";
import { repoRoot } from "./workspace.mjs";

/**
 * Every string target of an `exports` value (all conditions, nested).
 *
 * @param {unknown} value
 * @returns {string[]}
 */
export function exportTargets(value) {
  if (typeof value === "string") return [value];
  if (!value || typeof value !== "object") return [];
  return Object.values(value).flatMap(exportTargets);
}

/**
 * Whether a package's shipped spec (`./openapi.yaml` export) is the same bytes as `specs/`.
 *
 * @param {string} dir package directory name (a key of the codegen TARGETS).
 * @param {string} file the shipped file.
 * @returns {Promise<string | undefined>} a problem, or undefined when identical.
 */
export async function specProblem(dir, file) {
  const spec = TARGETS[dir];
  if (!spec)
    return `${file}: no spec is generated for "${dir}" (packages/codegen/src/spec-targets.mjs)`;
  if (!existsSync(file)) return `${file} is missing (run the package's build)`;
  const [shipped, source] = await Promise.all([readFile(file), readFile(join(repoRoot, spec))]);
  return shipped.equals(source) ? undefined : `${file} differs from ${spec}: rebuild the package`;
}

/** @param {string} dir @returns {AsyncGenerator<string>} */
async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

/**
 * Problems of one extracted tarball; empty when it is release-ready.
 *
 * @param {import("./workspace.mjs").PublicPackage} pkg
 * @param {string} root the extracted `package/` directory.
 * @returns {Promise<string[]>}
 */
export async function tarballProblems(pkg, root) {
  const problems = [];
  const license = join(root, "LICENSE");
  if (!existsSync(license)) problems.push("LICENSE is missing");
  else {
    const [shipped, source] = await Promise.all([
      readFile(license),
      readFile(join(repoRoot, "LICENSE")),
    ]);
    if (!shipped.equals(source)) problems.push("LICENSE differs from the repository's LICENSE");
  }
  if (!existsSync(join(root, "README.md"))) problems.push("README.md is missing");
  const manifest = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
  problems.push(...manifestProblems(manifest, pkg.dir, { packed: true }));
  const bins =
    typeof manifest.bin === "string" ? [manifest.bin] : Object.values(manifest.bin ?? {});
  for (const target of [...exportTargets(manifest.exports), ...bins]) {
    if (!existsSync(join(root, target)))
      problems.push(`${target} (exports/bin) is not in the tarball`);
  }
  for (const [specifier, target] of Object.entries(pkg.assetEntries)) {
    if (target.endsWith("openapi.yaml")) {
      const problem = await specProblem(pkg.dir, join(root, target));
      if (problem) problems.push(`${specifier}: ${problem}`);
    }
  }
  for await (const file of walk(root)) {
    const name = relative(root, file);
    if (/\.test(-d)?\.ts$|\.tsbuildinfo$|(^|\/)test\//.test(name)) {
      problems.push(`${name} should not be published`);
    }
  }
  return problems;
}

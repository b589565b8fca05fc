#!/usr/bin/env node
/**
 * Fast checks of what every published package will ship, on the workspace:
 * its package.json (license, repository, homepage, bugs, keywords, engines,
 * ESM-only exports with types first), its LICENSE (the repository's, byte for
 * byte), its README (install, ESM-only note, runtimes, the documentation
 * link), its shipped spec (the same bytes as `specs/`), a size budget for every
 * entry, and the portable entries compiled by tsconfig.portable.json.
 *
 * Usage: node release/src/check-manifests.mjs   (after `pnpm build`)
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { readBudgets } from "./internal/budgets.mjs";
import { DOCS_URL, manifestProblems } from "./internal/manifest-rules.mjs";
import { specProblem } from "./internal/tarball-checks.mjs";
import { publicPackages, repoRoot } from "./internal/workspace.mjs";

const problems = [];
const license = await readFile(join(repoRoot, "LICENSE"));
const budgets = await readBudgets();
const portableConfig = JSON.parse(await readFile(join(repoRoot, "tsconfig.portable.json"), "utf8"));
const portableSources = new Set(portableConfig.files ?? []);
const packages = publicPackages();

for (const pkg of packages) {
  const report = (problem) => problems.push(`${pkg.name}: ${problem}`);
  for (const problem of manifestProblems(pkg.manifest, pkg.dir)) report(problem);

  const packageLicense = join(pkg.path, "LICENSE");
  if (!existsSync(packageLicense)) report("LICENSE is missing (copy the repository's LICENSE)");
  else if (!(await readFile(packageLicense)).equals(license)) {
    report("LICENSE differs from the repository's LICENSE");
  }

  const readme = existsSync(join(pkg.path, "README.md"))
    ? await readFile(join(pkg.path, "README.md"), "utf8")
    : "";
  const readmeNeeds = {
    "an `## Install` section": /^## Install$/m,
    [`\`npm install\` of ${pkg.name}`]: new RegExp(`npm install[^\\n]*${pkg.name}(\\s|$)`),
    "the ESM-only note": /ESM only/,
    "the supported Node.js versions": /Node\.js 20\.19\+, 22\.12\+ and 24/,
    [`a link to ${DOCS_URL}`]: new RegExp(DOCS_URL.replace(/[./]/g, "\\$&")),
    "a `## First example`": /^## First (example|commands)$/m,
  };
  for (const [what, pattern] of Object.entries(readmeNeeds)) {
    if (!pattern.test(readme)) report(`README.md lacks ${what}`);
  }

  for (const [specifier, target] of Object.entries(pkg.assetEntries)) {
    const problem = await specProblem(pkg.dir, join(pkg.path, target));
    if (problem) report(`${specifier}: ${problem}`);
  }

  for (const entry of pkg.codeEntries) {
    const budget = budgets[entry];
    if (!budget) {
      report(`${entry} has no size budget in release/size-budgets.json (see release/README.md)`);
      continue;
    }
    // A browser entry is a portable one: tsconfig.portable.json compiles its source.
    const subpath = entry === pkg.name ? "." : `./${entry.slice(pkg.name.length + 1)}`;
    const source = pkg.manifest.exports[subpath]?.["@mdkit/source"];
    const file = source && `packages/${pkg.dir}/${source.replace(/^\.\//, "")}`;
    if (budget.platform === "browser" && !portableSources.has(file)) {
      report(`${entry} is a browser entry, but tsconfig.portable.json does not compile ${file}`);
    }
  }
}
for (const entry of Object.keys(budgets)) {
  if (!packages.some((pkg) => pkg.codeEntries.includes(entry))) {
    problems.push(`release/size-budgets.json has a budget for ${entry}, which no package exports`);
  }
}

if (problems.length) {
  console.error(problems.map((problem) => `manifest: ${problem}`).join("\n"));
  process.exit(1);
}
console.log(
  `manifests: ${packages.length} published packages ready (metadata, LICENSE, README, specs, budgets)`,
);

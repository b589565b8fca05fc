#!/usr/bin/env node
/**
 * The release, rehearsed without publishing anything and without asking the
 * registry: `changeset status` (every changed package has a changeset), then,
 * in a scratch copy of the workspace, `changeset version` and `pnpm publish
 * --dry-run` of every published package against a stand-in registry on
 * loopback (publish asks the registry whether the version exists, even dry). Checks that each package gets the
 * version of the release plan and a CHANGELOG.md entry per changeset, and
 * that every packed manifest depends on the new versions of its siblings.
 *
 * Usage: node release/src/dry-run.mjs   (after `pnpm build`)
 */
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { startLoopbackRegistry } from "./internal/loopback-registry.mjs";
import { extractTarball, packPublicPackages, pnpmCommand } from "./internal/pack.mjs";
import { runOrThrow, seconds } from "./internal/run.mjs";
import { publicPackages, repoRoot } from "./internal/workspace.mjs";

/**
 * The directories of the workspace's packages (relative to the root), from the
 * `packages:` globs of pnpm-workspace.yaml (`dir/*` or `dir`).
 *
 * @returns {Promise<string[]>}
 */
async function workspaceDirs() {
  const text = await readFile(join(repoRoot, "pnpm-workspace.yaml"), "utf8");
  const globs = (text.split(/^packages:\s*$/m)[1]?.split(/^\S/m)[0] ?? "")
    .split("\n")
    .map((line) => /^\s+-\s+"?([^"\s]+)"?\s*$/.exec(line)?.[1])
    .filter((glob) => glob !== undefined);
  const dirs = [];
  for (const glob of globs) {
    const parents = glob.endsWith("/*")
      ? (await readdir(join(repoRoot, glob.slice(0, -2)))).map((d) => `${glob.slice(0, -2)}/${d}`)
      : [glob];
    dirs.push(...parents.filter((dir) => existsSync(join(repoRoot, dir, "package.json"))));
  }
  return dirs;
}

const started = performance.now();
const require = createRequire(join(repoRoot, "package.json"));
const changesetBin = join(require.resolve("@changesets/cli/package.json"), "..", "bin.js");
const packages = publicPackages();
const work = await mkdtemp(join(tmpdir(), "mdkit-release-dry-run-"));
const problems = [];
try {
  // 1. The plan, from the repository itself (changeset status compares with the base branch).
  const planFile = join(work, "plan.json");
  await runOrThrow(process.execPath, [changesetBin, "status", "--output", planFile], {
    cwd: repoRoot,
  });
  const plan = JSON.parse(await readFile(planFile, "utf8"));
  const releases = new Map(plan.releases.filter((r) => r.type !== "none").map((r) => [r.name, r]));
  console.log(
    `changeset status: ${plan.changesets.length} changesets; ` +
      `${[...releases.values()].map((r) => `${r.name} ${r.oldVersion} → ${r.newVersion}`).join(", ") || "nothing to release"}`,
  );

  // 2. A scratch workspace: every manifest, the changesets, and the built packages.
  const copy = join(work, "workspace");
  for (const file of ["package.json", "pnpm-workspace.yaml", ".npmrc", "LICENSE", ".changeset"]) {
    if (existsSync(join(repoRoot, file)))
      await cp(join(repoRoot, file), join(copy, file), { recursive: true });
  }
  for (const dir of await workspaceDirs()) {
    await cp(join(repoRoot, dir, "package.json"), join(copy, dir, "package.json"));
  }
  for (const pkg of packages) {
    await cp(pkg.path, join(copy, "packages", pkg.dir), {
      recursive: true,
      filter: (source) => !source.includes("node_modules"),
    });
  }

  // 3. Version: bumps, internal dependency ranges, changelogs.
  await runOrThrow(process.execPath, [changesetBin, "version"], { cwd: copy });
  const versions = new Map();
  for (const pkg of packages) {
    const manifest = JSON.parse(
      await readFile(join(copy, "packages", pkg.dir, "package.json"), "utf8"),
    );
    versions.set(pkg.name, manifest.version);
    const planned = releases.get(pkg.name);
    const expected = planned?.newVersion ?? pkg.version;
    if (manifest.version !== expected) {
      problems.push(`${pkg.name}: versioned ${manifest.version}, the plan says ${expected}`);
    }
    if (planned) {
      const changelog = join(copy, "packages", pkg.dir, "CHANGELOG.md");
      const text = existsSync(changelog) ? await readFile(changelog, "utf8") : "";
      if (!text.includes(`## ${expected}`)) {
        problems.push(`${pkg.name}: CHANGELOG.md has no "## ${expected}" section`);
      }
    }
  }
  const left = (await readdir(join(copy, ".changeset"))).filter(
    (file) => file.endsWith(".md") && file !== "README.md",
  );
  if (left.length) problems.push(`changesets left after versioning: ${left.join(", ")}`);

  // 4. Publish, dry: what would be uploaded, with real dependency ranges. pnpm reads a
  //    `workspace:` dependency's version from its installed link: link the workspace's packages.
  const workspace = new Map();
  for (const dir of await workspaceDirs()) {
    const manifest = JSON.parse(await readFile(join(copy, dir, "package.json"), "utf8"));
    workspace.set(manifest.name, join(copy, dir));
  }
  for (const pkg of packages) {
    const manifest = JSON.parse(
      await readFile(join(copy, "packages", pkg.dir, "package.json"), "utf8"),
    );
    const all = {
      ...manifest.dependencies,
      ...manifest.devDependencies,
      ...manifest.peerDependencies,
    };
    for (const [name, range] of Object.entries(all)) {
      if (!String(range).startsWith("workspace:") || !workspace.has(name)) continue;
      const link = join(copy, "packages", pkg.dir, "node_modules", name);
      await mkdir(dirname(link), { recursive: true });
      await symlink(workspace.get(name), link, "dir");
    }
  }
  const tarballs = await packPublicPackages(join(work, "tarballs"), { cwd: copy });
  const [command, prefix] = await pnpmCommand();
  const registry = await startLoopbackRegistry();
  try {
    for (const pkg of packages) {
      await runOrThrow(
        command,
        [...prefix, "publish", "--dry-run", "--no-git-checks", "--registry", registry.url],
        { cwd: join(copy, "packages", pkg.dir) },
      );
    }
  } finally {
    await registry.close();
  }
  console.log(
    `stand-in registry asked: ${[...new Set(registry.requests)].join(", ") || "nothing"}`,
  );
  const asked = registry.requests.filter((r) => !/^GET \/@mdkit\/[a-z-]+$/.test(r));
  if (asked.length)
    problems.push(`the dry run asked the registry for more than versions: ${asked.join(", ")}`);
  for (const pkg of packages) {
    const root = await extractTarball(tarballs[pkg.name], join(work, "extracted", pkg.dir));
    const manifest = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
    // `workspace:^` is published as `^<the sibling's version>`: the new one.
    for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
      const sibling = versions.get(name);
      if (sibling && range !== `^${sibling}`) {
        problems.push(`${pkg.name} would depend on ${name}@${range}, not on ^${sibling}`);
      }
    }
  }
} catch (error) {
  problems.push(error instanceof Error ? error.message : String(error));
} finally {
  await rm(work, { recursive: true, force: true });
}

if (problems.length) {
  console.error(problems.map((p) => `release dry run: ${p}`).join("\n"));
  process.exitCode = 1;
} else {
  console.log(
    `release dry run: ${packages.length} packages versioned, changelogs written, packed and published with --dry-run ` +
      `to a loopback stand-in registry (nothing left this machine) in ${seconds(performance.now() - started)}`,
  );
}

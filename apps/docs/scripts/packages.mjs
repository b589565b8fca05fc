/**
 * The published packages and their entries, read from `packages/*\/package.json`:
 * a package that is not `private` is documented, one API page per entry its
 * `exports` declare (and one more for a `node` condition with its own source,
 * as `@mdkit/core` has). A new package or subpath appears on the site by
 * itself.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./site.mjs";

/**
 * @typedef {object} ApiEntry
 * @property {string} packageName e.g. `@mdkit/scan`.
 * @property {string} importPath what users import, e.g. `@mdkit/scan/node`.
 * @property {string} moduleName TypeDoc's name of the entry (its `@module` tag, else `importPath`).
 * @property {string} source absolute path of the entry's TypeScript source.
 * @property {string} description the package's `description`.
 */

/**
 * @typedef {object} PublishedPackage
 * @property {string} name
 * @property {string} dir absolute directory.
 * @property {string} description
 * @property {Record<string, string>} bin command name → file, if the package has commands.
 * @property {{ exports?: Record<string, unknown>, dependencies?: object, peerDependencies?: object, optionalDependencies?: object }} manifest
 *   its `package.json`.
 */

/** @returns {PublishedPackage[]} every package under `packages/` that is not private, by name. */
export function publishedPackages() {
  const dir = join(repoRoot, "packages");
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const manifest = JSON.parse(readFileSync(join(dir, entry.name, "package.json"), "utf8"));
      return { manifest, dir: join(dir, entry.name) };
    })
    .filter(({ manifest }) => !manifest.private)
    .map(({ manifest, dir }) => ({
      name: manifest.name,
      dir,
      description: manifest.description ?? "",
      bin:
        typeof manifest.bin === "string" ? { [manifest.name]: manifest.bin } : (manifest.bin ?? {}),
      manifest,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * @typedef {{ "@mdkit/source"?: string, node?: { "@mdkit/source"?: string } }} ExportTarget
 */

/**
 * Every documented entry point, packages depended upon first (then in the
 * order of their `exports`).
 *
 * @returns {ApiEntry[]}
 * @example
 * apiEntries().map((entry) => entry.importPath); // ["@mdkit/auth", ..., "@mdkit/scan/node", ...]
 */
export function apiEntries() {
  /** @type {ApiEntry[]} */
  const entries = [];
  for (const pkg of publishedPackages()) {
    for (const [subpath, target] of Object.entries(pkg.manifest.exports ?? {})) {
      if (typeof target !== "object" || target === null) continue;
      const importPath = subpath === "." ? pkg.name : `${pkg.name}/${subpath.replace(/^\.\//, "")}`;
      const exportTarget = /** @type {ExportTarget} */ (target);
      const sources = new Set(
        [exportTarget["@mdkit/source"], exportTarget.node?.["@mdkit/source"]].filter(Boolean),
      );
      for (const relative of sources) {
        const source = join(pkg.dir, /** @type {string} */ (relative));
        entries.push({
          packageName: pkg.name,
          importPath,
          moduleName: moduleNameOf(source) ?? importPath,
          source,
          description: pkg.description,
        });
      }
    }
  }
  // TypeDoc documents a symbol where it first meets it and links the other
  // exports to it: the package that declares it must come first.
  const depth = dependencyDepths(publishedPackages());
  return entries.sort((a, b) => (depth.get(a.packageName) ?? 0) - (depth.get(b.packageName) ?? 0));
}

/**
 * How deep each package sits in the dependency graph of the published
 * packages: 0 for one that depends on none of them.
 *
 * @param {PublishedPackage[]} packages
 */
function dependencyDepths(packages) {
  const names = new Set(packages.map((pkg) => pkg.name));
  /** @type {Map<string, number>} */
  const depths = new Map();
  const depthOf = (/** @type {PublishedPackage} */ pkg, seen = new Set()) => {
    const known = depths.get(pkg.name);
    if (known !== undefined) return known;
    if (seen.has(pkg.name)) return 0;
    seen.add(pkg.name);
    const { dependencies = {}, peerDependencies = {}, optionalDependencies = {} } = pkg.manifest;
    const own = Object.keys({ ...dependencies, ...peerDependencies, ...optionalDependencies })
      .filter((name) => names.has(name))
      .map((name) => {
        const dependency = packages.find((candidate) => candidate.name === name);
        return dependency ? depthOf(dependency, seen) + 1 : 0;
      });
    const depth = Math.max(0, ...own);
    depths.set(pkg.name, depth);
    return depth;
  };
  for (const pkg of packages) depthOf(pkg);
  return depths;
}

/** The `@module` tag of the file's first doc comment, as TypeDoc names the module. */
function moduleNameOf(/** @type {string} */ file) {
  const comment = /\/\*\*([\s\S]*?)\*\//.exec(readFileSync(file, "utf8"))?.[1] ?? "";
  return /@module\s+([^\n*]+)/.exec(comment)?.[1]?.trim();
}

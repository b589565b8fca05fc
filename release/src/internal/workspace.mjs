/**
 * The published packages of the workspace, read from disk: every
 * `packages/<dir>/package.json` without `"private": true`. Every release check
 * iterates this list, so a new public package is picked up everywhere.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** The repository root (this file is `release/src/internal/workspace.mjs`). */
export const repoRoot = resolve(import.meta.dirname, "../../..");

/** Where release checks write reports and scratch files (git-ignored). */
export const reportDir = join(repoRoot, ".tmp", "release");

/**
 * @typedef {object} PublicPackage
 * @property {string} dir directory under `packages/`.
 * @property {string} path absolute directory.
 * @property {string} name package name, e.g. `@mdkit/core`.
 * @property {string} version
 * @property {Record<string, any>} manifest the parsed package.json.
 * @property {string[]} codeEntries import specifiers of the JavaScript entries, e.g. `@mdkit/scan/node`.
 * @property {Record<string, string>} assetEntries import specifier → file, for non-code exports (`openapi.yaml`).
 */

/** @returns {PublicPackage[]} the published packages, sorted by directory. */
export function publicPackages() {
  const root = join(repoRoot, "packages");
  return readdirSync(root)
    .sort()
    .map((dir) => {
      const manifest = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8"));
      return { dir, manifest };
    })
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ dir, manifest }) => {
      const codeEntries = [];
      /** @type {Record<string, string>} */
      const assetEntries = {};
      for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
        if (subpath === "./package.json") continue;
        const specifier = subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
        if (typeof target === "string" && !/\.(m?js|d\.ts)$/.test(target)) {
          assetEntries[specifier] = target;
        } else {
          codeEntries.push(specifier);
        }
      }
      return {
        dir,
        path: join(root, dir),
        name: manifest.name,
        version: manifest.version,
        manifest,
        codeEntries,
        assetEntries,
      };
    });
}

/** The catalog versions of `pnpm-workspace.yaml` (name → version), read without a YAML parser. */
export function catalogVersions() {
  const text = readFileSync(join(repoRoot, "pnpm-workspace.yaml"), "utf8");
  const block = text.split(/^catalog:\s*$/m)[1]?.split(/^\S/m)[0] ?? "";
  /** @type {Record<string, string>} */
  const versions = {};
  for (const line of block.split("\n")) {
    const match = /^\s+"?([^":]+)"?:\s*(\S+)\s*$/.exec(line);
    if (match?.[1] && match[2]) versions[match[1]] = match[2];
  }
  return versions;
}

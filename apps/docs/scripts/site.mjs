/**
 * What the documentation site is made of: where things are, the guide pages
 * rendered from the repository's Markdown, and the packages whose API
 * reference TypeDoc generates. Every other script reads these lists, so a new
 * page or package is added here only.
 */
import { join, resolve } from "node:path";

/** The repository root (this file is `apps/docs/scripts/site.mjs`). */
export const repoRoot = resolve(import.meta.dirname, "../../..");

/** Where the static site is written. */
export const distDir = resolve(import.meta.dirname, "../dist");

/** The directory of the API reference inside {@link distDir}. */
export const apiDir = "api";

/**
 * @typedef {object} GuidePage
 * @property {string} source Markdown file, relative to the repository root.
 * @property {string} page output file, relative to the site root.
 * @property {string} title sidebar label and page title.
 * @property {string} [apiModule] name of the TypeDoc module documenting the same package.
 */

/** The published packages, in the order of the root README's table. */
export const packageNames = [
  "scan",
  "cluster",
  "central-management",
  "direct-connection",
  "auth",
  "cli",
  "simulator",
  "core",
];

/** @type {GuidePage[]} */
export const guidePages = [
  { source: "README.md", page: "index.html", title: "Overview" },
  ...packageNames.map((name) => ({
    source: `packages/${name}/README.md`,
    page: `packages/${name}.html`,
    title: `@mdkit/${name}`,
    apiModule: `@mdkit/${name}`,
  })),
  { source: "specs/README.md", page: "specs.html", title: "OpenAPI specs" },
];

/** The package directories TypeDoc converts (`entryPointStrategy: "packages"`). */
export const apiPackageDirs = packageNames.map((name) => join(repoRoot, "packages", name));

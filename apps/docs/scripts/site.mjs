/**
 * What the documentation site is made of and where it lives. The VitePress
 * config, the reference generators and the tests all read these, so a new
 * guide is one line in {@link guides}; the API, CLI and HTTP references find
 * their entries themselves (packages' `exports`, the CLI's command tree,
 * `specs/*.yaml`).
 */
import { resolve } from "node:path";

/** The repository root (this file is `apps/docs/scripts/site.mjs`). */
export const repoRoot = resolve(import.meta.dirname, "../../..");

/** The VitePress project (`apps/docs`): `.vitepress/` holds the config and theme. */
export const docsRoot = resolve(import.meta.dirname, "..");

/** The pages (VitePress `srcDir`): hand-written guides and, under `reference/`, generated pages. */
export const srcDir = resolve(docsRoot, "src");

/** Generated pages (git-ignored, rewritten by every build): `api/`, `cli/`, `http/`. */
export const referenceDir = resolve(srcDir, "reference");

/** What the generators made (API entries, CLI commands, HTTP operations), for the sidebar. */
export const manifestFile = resolve(referenceDir, "manifest.json");

/** Where the static site is written. */
export const distDir = resolve(docsRoot, "dist");

/**
 * @typedef {object} Guide
 * @property {string} slug the page is `src/guides/<slug>.md`, served at `/guides/<slug>.html`.
 * @property {string} text sidebar label.
 * @property {boolean} [runs] its TypeScript blocks also run against the simulator in the tests.
 */

/**
 * The guides, in reading order: the sidebar, the top navigation and the tests
 * take them from here. To add one, write `src/guides/<slug>.md` and add a line.
 *
 * @type {Guide[]}
 */
export const guides = [
  { slug: "getting-started", text: "Getting started", runs: true },
  { slug: "scanning-from-code", text: "Scanning from code", runs: true },
  { slug: "ci", text: "Using mdkit in CI" },
  { slug: "callbacks", text: "Results by callback, behind a proxy" },
  { slug: "central-management", text: "Central Management", runs: true },
  { slug: "direct-connections", text: "On-premise Core through direct connections", runs: true },
  { slug: "testing", text: "Testing with the simulator and Prism" },
  { slug: "errors-and-retries", text: "Errors and retries", runs: true },
  { slug: "security-model", text: "Security model" },
];

/** The site path of a guide. */
export const guideLink = (/** @type {Guide} */ guide) => `/guides/${guide.slug}`;

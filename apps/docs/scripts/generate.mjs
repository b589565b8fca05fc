/**
 * Generates the reference pages under `src/reference/` (API from the TSDoc,
 * CLI from its help, HTTP from the specs) and `manifest.json`, which the
 * VitePress config reads to build the sidebar. Run by `build.mjs` and `dev.mjs`.
 */
import { writeFile } from "node:fs/promises";
import { buildApiReference } from "./api-reference.mjs";
import { buildCliReference } from "./cli-reference.mjs";
import { buildHttpReference } from "./http-reference.mjs";
import { manifestFile } from "./site.mjs";

/**
 * @typedef {object} Manifest
 * @property {import("./api-reference.mjs").ApiPage[]} api
 * @property {import("./cli-reference.mjs").CliPage[]} cli
 * @property {import("./http-reference.mjs").HttpSpecPages[]} http
 */

/**
 * Writes every generated page and the manifest.
 *
 * @returns {Promise<{ manifest: Manifest, warnings: number, gaps: string[] }>}
 * @example
 * const { manifest } = await generateReference();
 * manifest.cli.map((page) => page.text); // ["mdkit", "mdkit scan", ...]
 */
export async function generateReference() {
  const api = await buildApiReference();
  const cli = await buildCliReference();
  const http = await buildHttpReference(api.declarations);
  /** @type {Manifest} */
  const manifest = { api: api.pages, cli, http };
  await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  return { manifest, warnings: api.warnings, gaps: api.gaps };
}

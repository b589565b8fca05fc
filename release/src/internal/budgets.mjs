/**
 * The size budgets (`release/size-budgets.json`): for every JavaScript entry
 * of every published package, the platform it is bundled for (`browser` for
 * the portable entries, `node` for the Node-only ones) and the most gzip bytes
 * its minified bundle may weigh. The browser entries are also the portable
 * ones: compiled with `types: []` (tsconfig.portable.json) and type-checked
 * without @types/node by the consumer smoke test.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { repoRoot } from "./workspace.mjs";

export const budgetsFile = join(repoRoot, "release", "size-budgets.json");

/**
 * @typedef {{ platform: "browser" | "node", gzipBytes: number }} Budget
 */

/** @returns {Promise<Record<string, Budget>>} entry specifier → budget. */
export async function readBudgets() {
  return JSON.parse(await readFile(budgetsFile, "utf8"));
}

/** @param {Record<string, Budget>} budgets */
export async function writeBudgets(budgets) {
  const sorted = Object.fromEntries(Object.entries(budgets).sort(([a], [b]) => a.localeCompare(b)));
  await writeFile(budgetsFile, `${JSON.stringify(sorted, null, 2)}\n`);
}

/** @returns {Promise<string[]>} the specifiers of the portable (browser) entries. */
export async function portableEntries() {
  const budgets = await readBudgets();
  return Object.keys(budgets).filter((entry) => budgets[entry]?.platform === "browser");
}

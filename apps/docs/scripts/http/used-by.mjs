/**
 * Which documented functions of the SDK make an operation: the packages'
 * sources are searched for typed client calls with a literal path
 * (`client.POST("/file", …)`), and each call is attributed to the exported
 * declaration around it, when the API reference documents that declaration.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { publishedPackages } from "../packages.mjs";

/**
 * @typedef {object} Declaration
 * @property {string} name
 * @property {string} module the API entry documenting it (`@mdkit/scan`).
 * @property {string} link its place in the API reference.
 */

/**
 * @typedef {object} Caller
 * @property {string} name `scanFile`
 * @property {string} module `@mdkit/scan`
 * @property {string} link
 */

/**
 * Every `.ts` file under `dir`, but generated code.
 *
 * @param {string} dir
 * @returns {Generator<string>}
 */
function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "generated") yield* sourceFiles(path);
    } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) yield path;
  }
}

/** Top-level exported declarations: `export [async] function[*] name`, `export class name`, `export const name`. */
const DECLARATION =
  /^export (?:default )?(?:async )?(?:function\*?|class|const)\s+([A-Za-z_$][\w$]*)/;
const CALL = /\.(GET|PUT|POST|DELETE|OPTIONS|HEAD|PATCH|TRACE)\(\s*"([^"]+)"/g;

/**
 * The documented callers of each operation, by `METHOD path`.
 *
 * @param {Declaration[]} declarations what the API reference documents.
 * @returns {Map<string, Caller[]>}
 * @example
 * findCallers(declarations).get("POST /file"); // [{ name: "uploadFile", module: "@mdkit/scan", link: "…" }]
 */
export function findCallers(declarations) {
  /** @type {Map<string, Caller[]>} */
  const callers = new Map();
  for (const pkg of publishedPackages()) {
    const src = join(pkg.dir, "src");
    for (const file of sourceFiles(src)) {
      const text = readFileSync(file, "utf8");
      // Internal files serve the exported declarations of other files: only public files count.
      if (relative(src, file).split(sep).includes("internal")) continue;
      for (const match of text.matchAll(CALL)) {
        // A call shown in a comment (an @example) is not one the function makes.
        const lineStart = text.lastIndexOf("\n", match.index ?? 0) + 1;
        if (/^\s*(\*|\/\/)/.test(text.slice(lineStart, match.index))) continue;
        const name = enclosingExport(text, match.index ?? 0);
        const declaration =
          name &&
          (declarations.find((d) => d.name === name && d.module === pkg.name) ??
            declarations.find((d) => d.name === name && d.module.startsWith(`${pkg.name}`)));
        if (!declaration) continue;
        const key = `${match[1]} ${match[2]}`;
        const list = callers.get(key) ?? [];
        if (!list.some((caller) => caller.name === name && caller.module === declaration.module)) {
          list.push({ name: declaration.name, module: declaration.module, link: declaration.link });
        }
        callers.set(key, list);
      }
    }
  }
  return callers;
}

/** The name of the last top-level exported declaration starting before `offset`. */
function enclosingExport(/** @type {string} */ text, /** @type {number} */ offset) {
  const before = text.slice(0, offset).split("\n");
  for (let i = before.length - 1; i >= 0; i--) {
    const line = before[i] ?? "";
    const match = DECLARATION.exec(line);
    if (match) return match[1];
    // Another top-level declaration (not exported) in between: the call is in a private helper.
    if (/^(?:async )?function|^class |^const /.test(line)) return undefined;
  }
  return undefined;
}

/**
 * The TypeScript examples of the repository's READMEs: every fenced block
 * whose language is `ts` or `typescript`. Each block is a complete module (its
 * own imports, no names from another block). A block whose info string also
 * says `runnable` is run by the consumer smoke test against the simulator, with
 * the `MDKIT_*` variables of `@mdkit/auth` pointing at it.
 */
import { execFileSync } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { repoRoot } from "./workspace.mjs";

/**
 * @typedef {object} Snippet
 * @property {string} readme path of the README, relative to the repository root.
 * @property {number} line 1-based line of the block's first code line.
 * @property {string} file module file name, e.g. `packages-cluster-readme-2.ts`.
 * @property {string} code
 * @property {boolean} runnable
 */

/** Lines written above each snippet's code in its module file. */
const HEADER_LINES = 1;

/** @returns {string[]} the READMEs tracked by git, relative to the repository root. */
export function readmeFiles() {
  const listed = execFileSync("git", ["ls-files", "--", "README.md", "*/README.md"], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  // A file in the middle of a merge is listed once per stage: once is enough.
  return [...new Set(listed.split("\n"))].filter((path) => path && !path.includes("node_modules"));
}

/**
 * Extracts the TypeScript blocks of the READMEs.
 *
 * @param {string[]} [readmes] default: every README tracked by git.
 * @returns {Promise<Snippet[]>}
 */
export async function extractSnippets(readmes = readmeFiles()) {
  /** @type {Snippet[]} */
  const snippets = [];
  for (const readme of readmes) {
    const lines = (await readFile(join(repoRoot, readme), "utf8")).split("\n");
    let open = /** @type {{ start: number, runnable: boolean, code: string[] } | undefined} */ (
      undefined
    );
    let fence = "";
    let count = 0;
    for (const [index, line] of lines.entries()) {
      if (!open) {
        const start = /^(\s*)(```+)\s*(ts|typescript)\b(.*)$/.exec(line);
        if (start) {
          fence = start[2] ?? "```";
          open = { start: index + 2, runnable: /\brunnable\b/.test(start[4] ?? ""), code: [] };
        } else if (/^\s*```/.test(line)) {
          // Skip other languages' blocks whole (they may contain "```ts" text).
          const other = /^\s*(```+)/.exec(line)?.[1] ?? "```";
          const end = lines.findIndex((l, i) => i > index && l.trim() === other);
          if (end > index) lines.fill("", index + 1, end + 1);
        }
      } else if (line.trim() === fence) {
        count++;
        const slug = readme
          .replace(/\.md$/i, "")
          .replace(/[^a-z0-9]+/gi, "-")
          .toLowerCase();
        snippets.push({
          readme,
          line: open.start,
          file: `${slug}-${count}.ts`,
          code: open.code.join("\n"),
          runnable: open.runnable,
        });
        open = undefined;
      } else {
        open.code.push(line);
      }
    }
  }
  return snippets;
}

/**
 * Writes each snippet as a module (`export {}` keeps even an import-free block a module).
 *
 * @param {Snippet[]} snippets
 * @param {string} dir emptied first.
 */
export async function writeSnippets(snippets, dir) {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const snippet of snippets) {
    const header = `// ${snippet.readme}:${snippet.line}`;
    await writeFile(join(dir, snippet.file), `${header}\n${snippet.code}\nexport {};\n`);
  }
}

/**
 * Rewrites compiler diagnostics that point into snippet modules so they point
 * at the README line instead.
 *
 * @param {string} output what tsc printed.
 * @param {Snippet[]} snippets
 * @returns {string}
 */
export function toReadmeLocations(output, snippets) {
  const byFile = new Map(snippets.map((snippet) => [snippet.file, snippet]));
  return output.replace(
    /(?:^|\n)[^\n(]*?([\w.-]+\.ts)\((\d+),(\d+)\)/g,
    (match, file, line, col) => {
      const snippet = byFile.get(file);
      if (!snippet) return match;
      const readmeLine = snippet.line + Number(line) - 1 - HEADER_LINES;
      return `${match.startsWith("\n") ? "\n" : ""}${snippet.readme}:${readmeLine}:${col}`;
    },
  );
}

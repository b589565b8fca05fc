/**
 * What the browser test compares the site with, read from the repository
 * itself (so the test follows the README and the sources), and the scan of
 * the built files for paths of the machine that built them.
 */
import type { Dirent } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { repoRoot } from "../scripts/site.mjs";

/**
 * The commands of the root README's Quick start, one per line.
 *
 * @example
 * await quickStartCommands(); // ["npx -y pnpm@… install && npx -y pnpm@… demo", "npx -y pnpm@… test"]
 */
export async function quickStartCommands(): Promise<string[]> {
  const readme = await readFile(join(repoRoot, "README.md"), "utf8");
  const block = /## Quick start\s+```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error("README.md has no ```sh block under ## Quick start");
  return block.split("\n").filter((line) => line.trim() !== "");
}

/**
 * The code lines of the `@example` in the TSDoc comment of `name` in a source file.
 *
 * @example
 * await tsdocExample("packages/scan/src/scan-file.ts", "scanFile");
 */
export async function tsdocExample(file: string, name: string): Promise<string[]> {
  const source = await readFile(join(repoRoot, file), "utf8");
  const comment = new RegExp(
    String.raw`/\*\*((?:(?!\*/)[\s\S])*)\*/\s*export (?:async )?function ${name}\b`,
  ).exec(source)?.[1];
  const example =
    comment && /@example\s*\n\s*\*\s*```\w*\n([\s\S]*?)\n\s*\*\s*```/.exec(comment)?.[1];
  if (!example) throw new Error(`${file}: no @example on ${name}`);
  return example
    .split("\n")
    .map((line) => line.replace(/^\s*\* ?/, "").trim())
    .filter(Boolean);
}

/** Every file under `dir`, recursively. */
export async function* filesOf(dir: string): AsyncGenerator<string> {
  const entries: Dirent[] = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesOf(path);
    else yield path;
  }
}

/**
 * Absolute paths of this machine found in a built file: the given roots, the
 * home directory, `file://` URLs. TypeDoc's `window.…Data = "<deflated base64>"`
 * assets are inflated first, so the navigation and search data are checked too.
 */
export function machinePathsIn(text: string, roots: string[]): string[] {
  const home = homedir();
  const needles = [...roots, ...(home.length > 1 ? [home] : [])].map((path) => `${path}/`);
  needles.push("file://");
  const texts = [text];
  for (const [, data] of text.matchAll(/^window\.\w+ = "([A-Za-z0-9+/=]+)"/gm)) {
    texts.push(inflateSync(Buffer.from(data ?? "", "base64")).toString("utf8"));
  }
  return needles.filter((needle) => texts.some((t) => t.includes(needle)));
}

/**
 * Resources a built file would load from another host (scripts, styles,
 * images, fonts): the site must work with no network.
 */
export function externalResourcesIn(text: string): string[] {
  const tags = /<(?:script|link|img|iframe|source)\b[^>]*\s(?:src|href)="((?:https?:)?\/\/[^"]*)"/g;
  const css = /(?:@import\s+|url\()\s*["']?((?:https?:)?\/\/[^"')\s]*)/g;
  return [...text.matchAll(tags), ...text.matchAll(css)].map((match) => match[1] ?? "");
}

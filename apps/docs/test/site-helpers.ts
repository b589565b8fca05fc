/**
 * What the tests read from the built site and the repository: the built
 * files (scanned for paths of the machine that built them and for resources
 * from other hosts), and the code blocks of the guides.
 */
import type { Dirent } from "node:fs";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { distDir, guides, srcDir } from "../scripts/site.mjs";

/** Every file under `dir`, recursively. */
export async function* filesOf(dir: string): AsyncGenerator<string> {
  const entries: Dirent[] = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesOf(path);
    else yield path;
  }
}

/** Absolute paths of this machine found in a built file: the given roots, the home directory, `file://` URLs. */
export function machinePathsIn(text: string, roots: string[]): string[] {
  const home = homedir();
  const needles = [...roots, ...(home.length > 1 ? [home] : [])].map((path) => `${path}/`);
  needles.push("file://");
  return needles.filter((needle) => text.includes(needle));
}

/** Resources a built file would load from another host (scripts, styles, images, fonts): the site must work offline. */
export function externalResourcesIn(text: string): string[] {
  const tags = /<(?:script|link|img|iframe|source)\b[^>]*\s(?:src|href)="((?:https?:)?\/\/[^"]*)"/g;
  const css = /(?:@import\s+|url\()\s*["']?((?:https?:)?\/\/[^"')\s]*)/g;
  return [...text.matchAll(tags), ...text.matchAll(css)].map((match) => match[1] ?? "");
}

/** The tests read the site the build wrote; they never build it themselves. */
export function requireBuiltSite(): void {
  if (!existsSync(join(distDir, "index.html"))) {
    throw new Error(
      "[@mdkit/docs] apps/docs/dist is missing: build the site first (`pnpm docs:build`, or `pnpm test`, which builds before testing)",
    );
  }
}

/** One fenced code block of a guide. */
export interface CodeBlock {
  /** The guide's slug (`getting-started`). */
  guide: string;
  /** The fence's language (`ts`, `sh`, ...). */
  lang: string;
  /** Its text. */
  code: string;
  /** 1-based line of the opening fence in the guide. */
  line: number;
  /** Position among the guide's blocks of the same language, from 1. */
  index: number;
}

/**
 * The fenced code blocks of the guides (`src/guides/<slug>.md`), in order.
 *
 * @example
 * const blocks = await codeBlocks((guide) => guide.slug === "getting-started");
 * blocks.filter((block) => block.lang === "sh");
 */
export async function codeBlocks(
  which: (guide: (typeof guides)[number]) => boolean = () => true,
): Promise<CodeBlock[]> {
  const blocks: CodeBlock[] = [];
  for (const guide of guides.filter(which)) {
    const text = await readFile(join(srcDir, "guides", `${guide.slug}.md`), "utf8");
    const lines = text.split("\n");
    const counts = new Map<string, number>();
    for (let i = 0; i < lines.length; i++) {
      const open = /^(`{3,})(\w+)?/.exec(lines[i] ?? "");
      if (!open) continue;
      const fence = open[1] ?? "```";
      const lang = open[2] ?? "";
      const start = i;
      const body: string[] = [];
      for (i++; i < lines.length && !(lines[i] ?? "").startsWith(fence); i++)
        body.push(lines[i] ?? "");
      const index = (counts.get(lang) ?? 0) + 1;
      counts.set(lang, index);
      blocks.push({ guide: guide.slug, lang, code: body.join("\n"), line: start + 1, index });
    }
  }
  return blocks;
}

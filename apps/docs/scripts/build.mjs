/**
 * Builds the documentation site into `apps/docs/dist`: the API reference by
 * TypeDoc under `api/`, and the guide pages rendered from the repository's
 * Markdown inside one layout. Needs the packages built (turbo's `^build`).
 * Nothing is fetched: the site has no external resources.
 */
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, posix } from "node:path";
import { buildApiReference } from "./api.mjs";
import { layout } from "./layout.mjs";
import { renderMarkdown } from "./markdown.mjs";
import { apiDir, distDir, guidePages, repoRoot } from "./site.mjs";

const started = performance.now();
await rm(distDir, { recursive: true, force: true });

const { modules, warnings } = await buildApiReference(join(distDir, apiDir));
const moduleUrl = (/** @type {string} */ name) => {
  const url = modules.get(name);
  if (!url) throw new Error(`[@mdkit/docs] TypeDoc made no page for ${name}`);
  return posix.join(apiDir, url);
};

/** @type {import("./layout.mjs").NavSection[]} */
const nav = [
  { heading: "Guides", links: guidePages.map(({ page, title }) => ({ href: page, label: title })) },
  {
    heading: "API reference",
    links: [
      { href: `${apiDir}/index.html`, label: "All packages" },
      ...guidePages.flatMap(({ apiModule }) =>
        apiModule ? [{ href: moduleUrl(apiModule), label: apiModule }] : [],
      ),
    ],
  },
];

// Links in the Markdown may name a file or its directory ("packages/scan").
const pagesBySource = new Map();
for (const { source, page } of guidePages) {
  pagesBySource.set(source, page);
  pagesBySource.set(posix.dirname(source) === "." ? "" : posix.dirname(source), page);
}

for (const { source, page, title } of guidePages) {
  const markdown = await readFile(join(repoRoot, source), "utf8");
  const content = renderMarkdown(markdown, { source, page, pagesBySource });
  const file = join(distDir, page);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, layout({ title, path: page, content }, nav));
}
await copyFile(join(import.meta.dirname, "style.css"), join(distDir, "style.css"));

const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `[@mdkit/docs] ${guidePages.length} guide pages and the API reference of ${modules.size} packages` +
    ` written to apps/docs/dist in ${seconds} s (TypeDoc warnings: ${warnings})`,
);

/**
 * The VitePress configuration of the mdkit site. The navigation is built from
 * lists, never written by hand: the guides from `scripts/site.mjs`, the API,
 * CLI and HTTP references from the manifest their generators write
 * (`src/reference/manifest.json`, made by `scripts/generate.mjs`).
 */
import { existsSync, readFileSync } from "node:fs";
import { defineConfig } from "vitepress";
import { guideLink, guides, manifestFile } from "../scripts/site.mjs";

/** @typedef {import("vitepress").DefaultTheme.SidebarItem} SidebarItem */

/** @returns {import("../scripts/generate.mjs").Manifest} */
function readManifest() {
  if (!existsSync(manifestFile)) {
    throw new Error(
      "[@mdkit/docs] src/reference/manifest.json is missing: run `pnpm docs:build` or `pnpm docs:dev`, which generate the reference first",
    );
  }
  return JSON.parse(readFileSync(manifestFile, "utf8"));
}

const manifest = readManifest();

/** The CLI's commands as a tree: `mdkit cm reports` under `mdkit cm`. */
function cliItems(/** @type {import("../scripts/generate.mjs").Manifest["cli"]} */ pages) {
  /** @type {(path: string[]) => SidebarItem[]} */
  const childrenOf = (path) =>
    pages
      .filter(
        (page) =>
          page.path.length === path.length + 1 &&
          path.every((word, index) => page.path[index] === word),
      )
      .map((page) => {
        const items = childrenOf(page.path);
        return items.length
          ? { text: page.text, link: page.link, collapsed: true, items }
          : { text: page.text, link: page.link };
      });
  const root = pages.find((page) => page.path.length === 0);
  return [
    { text: root?.text ?? "mdkit", link: root?.link ?? "/reference/cli/" },
    ...childrenOf([]),
  ];
}

/** The method of an HTTP operation as a small badge, its path beside it. */
const operationText = (/** @type {string} */ method, /** @type {string} */ path) =>
  `<span class="http-method http-method-${method.toLowerCase()}">${method}</span><span class="http-path">${path
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/\//g, "/<wbr>")}</span>`;

/** @type {SidebarItem[]} */
const sidebar = [
  { text: "Guides", items: guides.map((guide) => ({ text: guide.text, link: guideLink(guide) })) },
  {
    text: "API reference",
    collapsed: true,
    items: [{ text: "All entries", link: "/reference/api/" }, ...manifest.api],
  },
  { text: "CLI reference", collapsed: true, items: cliItems(manifest.cli) },
  {
    text: "HTTP reference",
    collapsed: true,
    items: [
      { text: "Both APIs", link: "/reference/http/" },
      ...manifest.http.map((spec) => ({
        text: spec.title,
        collapsed: true,
        items: [
          { text: "Overview", link: spec.link },
          ...spec.tags.map((tag) => ({
            text: tag.tag,
            items: tag.operations.map((operation) => ({
              text: operationText(operation.method, operation.path),
              link: operation.link,
            })),
          })),
          { text: "Schemas", link: spec.schemas },
        ],
      })),
    ],
  },
];

export default defineConfig({
  lang: "en-US",
  title: "mdkit",
  description:
    "TypeScript SDK, CLI and simulator for My OPSWAT Central Management and the MetaDefender Distributed Cluster API Gateway",
  srcDir: "src",
  outDir: "dist",
  cacheDir: ".vitepress/cache",
  // No git history is needed to build, and no page depends on the build time.
  lastUpdated: false,
  head: [["link", { rel: "icon", type: "image/svg+xml", href: "/logo.svg" }]],
  markdown: {
    theme: { light: "github-light", dark: "github-dark" },
  },
  themeConfig: {
    logo: "/logo.svg",
    nav: [
      {
        text: "Guides",
        link: guideLink(guides[0] ?? { slug: "getting-started", text: "" }),
        activeMatch: "^/guides/",
      },
      { text: "API", link: "/reference/api/", activeMatch: "^/reference/api/" },
      { text: "CLI", link: "/reference/cli/", activeMatch: "^/reference/cli/" },
      { text: "HTTP", link: "/reference/http/", activeMatch: "^/reference/http/" },
    ],
    sidebar,
    outline: { level: [2, 3], label: "On this page" },
    search: { provider: "local" },
    footer: {
      message: "MIT licensed. Works offline: nothing on this site loads from another host.",
    },
  },
  vite: {
    // The API pages are large; their chunks are loaded one page at a time.
    build: { chunkSizeWarningLimit: 2048 },
    server: { host: "127.0.0.1" },
  },
});

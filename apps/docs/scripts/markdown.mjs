/**
 * Markdown to HTML for the guide pages, with marked. Links between the
 * repository's files are rewritten to the pages rendered from them; links to
 * files the site has no page for are kept as text, so the site has no dead links.
 */
import { posix } from "node:path";
import { Marked } from "marked";

/**
 * @typedef {object} RenderContext
 * @property {string} source the Markdown file, relative to the repository root.
 * @property {string} page the HTML page it becomes, relative to the site root.
 * @property {Map<string, string>} pagesBySource site page of each repository path
 *   (a Markdown file or the directory holding it).
 */

/**
 * Renders one Markdown document of the repository into an HTML fragment.
 *
 * @param {string} markdown the document's text.
 * @param {RenderContext} context where it comes from and where it goes.
 * @returns {string} the HTML, headings with `id`s for anchors.
 * @example
 * const html = renderMarkdown("See [scan](packages/scan).", {
 *   source: "README.md",
 *   page: "index.html",
 *   pagesBySource: new Map([["packages/scan", "packages/scan.html"]]),
 * }); // '<p>See <a href="packages/scan.html">scan</a>.</p>\n'
 */
export function renderMarkdown(markdown, context) {
  /** @type {Map<string, number>} */
  const slugs = new Map();
  const marked = new Marked({
    gfm: true,
    renderer: {
      heading({ tokens, depth, text }) {
        const id = uniqueSlug(slugs, text);
        return `<h${depth} id="${id}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
      },
      link({ href, title, tokens }) {
        const inner = this.parser.parseInline(tokens);
        const target = rewriteHref(href, context);
        if (target === undefined) return inner;
        const titleAttr = title ? ` title="${escapeAttribute(title)}"` : "";
        return `<a href="${escapeAttribute(target)}"${titleAttr}>${inner}</a>`;
      },
    },
  });
  return /** @type {string} */ (marked.parse(markdown, { async: false }));
}

/**
 * Where a link of the document points on the site: unchanged for URLs with a
 * scheme and in-page anchors, the page rendered from a repository path, or
 * `undefined` for a repository path that has no page.
 *
 * @param {string} href
 * @param {RenderContext} context
 * @returns {string | undefined}
 */
function rewriteHref(href, context) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("#")) return href;
  const [path = "", hash] = href.split("#", 2);
  const fromDir = posix.dirname(context.source);
  const target = posix.normalize(posix.join(fromDir, path)).replace(/\/$/, "");
  const page = context.pagesBySource.get(target === "." ? "" : target);
  if (page === undefined) return undefined;
  const relative = posix.relative(posix.dirname(context.page), page);
  return hash ? `${relative}#${hash}` : relative;
}

/**
 * A GitHub-style anchor for a heading, made unique within the page.
 *
 * @param {Map<string, number>} seen
 * @param {string} text
 */
function uniqueSlug(seen, text) {
  const base =
    text
      .toLowerCase()
      .replace(/<[^>]*>/g, "")
      .replace(/[^\p{L}\p{N}\s-]/gu, "")
      .trim()
      .replace(/\s+/g, "-") || "section";
  const count = seen.get(base) ?? 0;
  seen.set(base, count + 1);
  return count === 0 ? base : `${base}-${count}`;
}

/** @param {string} value */
function escapeAttribute(value) {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

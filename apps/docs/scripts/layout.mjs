/**
 * The one layout every guide page shares: a sidebar linking every page and the
 * API reference, and the page's content. Links are relative, so the site works
 * under any base path.
 */
import { posix } from "node:path";

/**
 * @typedef {object} NavLink
 * @property {string} href target, relative to the site root.
 * @property {string} label
 */

/**
 * @typedef {object} NavSection
 * @property {string} heading
 * @property {NavLink[]} links
 */

/**
 * Wraps a rendered page in the site's layout.
 *
 * @param {object} page
 * @param {string} page.title the page's title.
 * @param {string} page.path the page's file, relative to the site root.
 * @param {string} page.content the page's HTML.
 * @param {NavSection[]} nav the sidebar, identical on every page.
 * @returns {string} a complete HTML document.
 * @example
 * layout({ title: "mdkit", path: "index.html", content: "<h1>mdkit</h1>" }, [
 *   { heading: "Guides", links: [{ href: "index.html", label: "mdkit" }] },
 * ]);
 */
export function layout(page, nav) {
  const dir = posix.dirname(page.path);
  const rel = (/** @type {string} */ href) => posix.relative(dir, href) || posix.basename(href);
  const sections = nav
    .map((section) => {
      const items = section.links
        .map(({ href, label }) => {
          const current = href === page.path ? ' aria-current="page"' : "";
          return `<li><a href="${rel(href)}"${current}>${escapeHtml(label)}</a></li>`;
        })
        .join("\n");
      return `<h2>${escapeHtml(section.heading)}</h2>\n<ul>\n${items}\n</ul>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} · mdkit</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${rel("style.css")}">
</head>
<body>
<nav class="sidebar" aria-label="Documentation">
<a class="brand" href="${rel("index.html")}">mdkit</a>
${sections}
</nav>
<main class="content">
${page.content}
</main>
</body>
</html>
`;
}

/** @param {string} text */
function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

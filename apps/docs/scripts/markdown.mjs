/**
 * Small helpers for writing generated Markdown that VitePress compiles into
 * Vue templates: text from help output or specs must neither become HTML
 * (`<paths...>`), nor Markdown emphasis (`**\/*.pdf`), nor break a table.
 */

/**
 * Plain text as Markdown that shows exactly that text.
 *
 * @param {string} text
 * @returns {string}
 * @example
 * escapeText("mdkit scan <paths...>"); // "mdkit scan &lt;paths...&gt;"
 * escapeText("a_b"); // "a\\_b"
 */
export function escapeText(text) {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]{}|#~])/g, "\\$1");
}

/**
 * Text as inline code that survives a table cell: a code span (never turned
 * into a link, never read as HTML), with `|` escaped for tables.
 *
 * @param {string} text
 * @returns {string}
 * @example
 * code("--format <format>"); // "`--format <format>`"
 * code("a|b"); // "`a\\|b`"
 */
export function code(text) {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const marks = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${marks}${pad}${text.replace(/\|/g, "\\|")}${pad}${marks}`;
}

/**
 * Markdown written by people (spec descriptions) made safe for a table cell:
 * on one line, `|` escaped.
 *
 * @param {string | undefined} markdown
 * @returns {string}
 * @example
 * cell("Size in bytes.\nRequired."); // "Size in bytes. Required."
 */
export function cell(markdown) {
  return (markdown ?? "")
    .trim()
    .replace(/\s*\n\s*/g, " ")
    .replace(/\|/g, "\\|");
}

/**
 * A fenced code block; the fence is longer than any backtick run inside.
 *
 * @param {string} lang
 * @param {string} body
 * @returns {string}
 * @example
 * fence("sh", "mdkit scan ."); // "```sh\nmdkit scan .\n```"
 */
export function fence(lang, body) {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((match) => match[0].length));
  const marks = "`".repeat(longest + 1);
  return `${marks}${lang}\n${body.replace(/\n+$/, "")}\n${marks}`;
}

/**
 * A whole generated page: front matter, then the body inside `v-pre`, so that
 * `{{ … }}` in the text is never read as a Vue interpolation.
 *
 * @param {Record<string, string | number | boolean | number[]>} frontmatter
 * @param {string} body Markdown.
 * @returns {string}
 */
export function page(frontmatter, body) {
  const lines = Object.entries(frontmatter).map(([key, value]) => {
    // VitePress reads the title as inline Markdown, where a final `{…}` would be taken for attributes.
    const safe =
      key === "title" && typeof value === "string" ? value.replace(/[{}]/g, "\\$&") : value;
    return `${key}: ${JSON.stringify(safe)}`;
  });
  return `---\n${lines.join("\n")}\n---\n\n<div v-pre>\n\n${body.trim()}\n\n</div>\n`;
}

/**
 * The id VitePress gives a heading with this text (its default slugify), so
 * that generated links can point into generated pages.
 *
 * @param {string} text
 * @returns {string}
 * @example
 * headingId("scanFile()"); // "scanfile"
 */
export function headingId(text) {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036F]/g, "")
    .replace(/[\s~`!@#$%^&*()\-_+=[\]{}|\\;:"'“”‘’<>,.?/]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "")
    .replace(/^(\d)/, "_$1")
    .toLowerCase();
}

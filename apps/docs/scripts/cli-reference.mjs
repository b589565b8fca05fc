/**
 * The CLI reference: one page per command of `mdkit`, made from the built
 * CLI's own `--help` (run in-process with `main`). The command tree is
 * discovered from the help's "Commands:" sections, so a new command appears
 * without editing the site, and the pages cannot drift from the CLI.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { code, escapeText, fence, page } from "./markdown.mjs";
import { referenceDir } from "./site.mjs";

/** Output directory of the CLI pages. */
export const cliDir = join(referenceDir, "cli");

/**
 * @typedef {object} HelpSection
 * @property {string} title e.g. "Options", "Examples"; "" for text before the first title.
 * @property {string[]} lines the section's lines, indentation kept.
 */

/**
 * @typedef {object} CommandHelp
 * @property {string[]} path the command's words after `mdkit` (`["cm", "reports"]`).
 * @property {string} usage the usage line without "Usage: ".
 * @property {string} description
 * @property {HelpSection[]} sections
 * @property {string} text the help exactly as the CLI prints it.
 */

/**
 * @typedef {object} CliPage
 * @property {string} text `mdkit cm reports`
 * @property {string} link `/reference/cli/mdkit-cm-reports`
 * @property {string[]} path
 */

/**
 * The help of one command, as `mdkit <path> --help` prints it.
 *
 * @param {string[]} path
 * @returns {Promise<string>}
 * @example
 * await helpText(["scan"]); // "Usage: mdkit scan [options] <paths...>\n..."
 */
export async function helpText(path) {
  const { main } = await import("@mdkit/cli");
  let out = "";
  let err = "";
  // A wide "terminal" so that commander never wraps a line: each option stays on one.
  const sink = (/** @type {(text: string) => void} */ append) => ({
    write: (/** @type {string} */ chunk) => {
      append(chunk);
      return true;
    },
    columns: 1000,
  });
  const code = await main([...path, "--help"], {
    stdout: sink((chunk) => {
      out += chunk;
    }),
    stderr: sink((chunk) => {
      err += chunk;
    }),
    env: {},
  });
  if (code !== 0) {
    throw new Error(`[@mdkit/docs] mdkit ${path.join(" ")} --help exited ${code}: ${err}`);
  }
  return out;
}

/**
 * Parses commander's help (unwrapped) into its parts.
 *
 * @param {string[]} path
 * @param {string} text
 * @returns {CommandHelp}
 */
export function parseHelp(path, text) {
  // Blocks are separated by blank lines; a block starting with "Title:" is a section.
  const blocks = text
    .replace(/\s+$/, "")
    .split(/\n\s*\n/)
    .map((block) => block.split("\n"));
  const usage = (blocks.shift()?.[0] ?? "").replace(/^Usage:\s*/, "");
  const titleOf = (/** @type {string[]} */ block) => /^([A-Z][\w -]*):$/.exec(block[0] ?? "")?.[1];
  const description = blocks[0] && !titleOf(blocks[0]) ? (blocks.shift() ?? []).join(" ") : "";
  /** @type {HelpSection[]} */
  const sections = blocks.map((block) => {
    const title = titleOf(block);
    return title ? { title, lines: block.slice(1) } : { title: "", lines: block };
  });
  return { path, usage, description, sections, text };
}

/** Items of a commander section: `  <term>  <description>` lines. */
function items(/** @type {string[]} */ lines) {
  return lines
    .filter((line) => line.trim())
    .map((line) => {
      const match = /^\s+(\S.*?)(?:\s{2,}(\S.*))?$/.exec(line);
      return { term: match?.[1] ?? line.trim(), description: match?.[2] ?? "" };
    });
}

/** Lines joined into paragraphs (blank lines separate them). */
function paragraphs(/** @type {string[]} */ lines) {
  /** @type {string[]} */
  const result = [];
  let current = [];
  for (const line of [...lines, ""]) {
    if (line.trim()) current.push(line.trim());
    else if (current.length) {
      result.push(current.join(" "));
      current = [];
    }
  }
  return result;
}

/** Subcommand names listed in a help's "Commands:" section (not commander's own `help`). */
export function subcommands(/** @type {CommandHelp} */ help) {
  const section = help.sections.find((candidate) => candidate.title === "Commands");
  return items(section?.lines ?? [])
    .map((item) => item.term.split(/\s/)[0] ?? "")
    .filter((name) => name && name !== "help");
}

/**
 * Every command of the CLI, depth first from `mdkit` itself.
 *
 * @returns {Promise<CommandHelp[]>}
 */
export async function commandTree() {
  /** @type {CommandHelp[]} */
  const found = [];
  const visit = async (/** @type {string[]} */ path) => {
    const help = parseHelp(path, await helpText(path));
    found.push(help);
    for (const name of subcommands(help)) await visit([...path, name]);
  };
  await visit([]);
  return found;
}

const slugOf = (/** @type {string[]} */ path) => ["mdkit", ...path].join("-");
const linkOf = (/** @type {string[]} */ path) =>
  path.length ? `/reference/cli/${slugOf(path)}` : "/reference/cli/";

/**
 * Renders one command's page.
 *
 * @param {CommandHelp} help
 * @param {string[]} inherited the options of `mdkit` itself that every command takes.
 * @returns {string}
 */
function renderCommand(help, inherited) {
  const name = ["mdkit", ...help.path].join(" ");
  const lead = help.description.charAt(0).toUpperCase() + help.description.slice(1);
  const parts = [`# ${escapeText(name)}`, escapeText(lead)];
  parts.push("## Usage", fence("sh", help.usage));
  for (const section of help.sections) {
    const body = section.lines.filter((line) => line.trim());
    if (!body.length) continue;
    if (section.title) parts.push(`## ${escapeText(section.title)}`);
    if (section.title === "Commands") {
      const rows = items(body)
        .filter(({ term }) => !term.startsWith("help "))
        .map(({ term, description }) => {
          const sub = term.split(/\s/)[0] ?? "";
          const label = code(`${name} ${term}`);
          return `| [${label}](${linkOf([...help.path, sub])}) | ${escapeText(description)} |`;
        });
      parts.push(["| command | what it does |", "| --- | --- |", ...rows].join("\n"));
    } else if (section.title === "Arguments" || section.title === "Options") {
      const head = section.title === "Options" ? "option" : "argument";
      const rows = items(body).map(
        ({ term, description }) => `| ${code(term)} | ${escapeText(description)} |`,
      );
      parts.push([`| ${head} | description |`, "| --- | --- |", ...rows].join("\n"));
    } else if (body.every((line) => /^\s+\$ /.test(line))) {
      // Example commands: a shell block, copyable.
      parts.push(fence("sh", body.map((line) => line.replace(/^\s+\$ /, "")).join("\n")));
    } else {
      parts.push(...paragraphs(section.lines).map(escapeText));
    }
  }
  if (help.path.length && inherited.length) {
    const list = inherited.map((option) => code(option)).join(", ");
    parts.push(`The options of ${linkTo([])} itself apply too: ${list}.`);
  }
  parts.push(`::: details Output of ${code(`${name} --help`)}`, fence("text", help.text), ":::");
  return page({ title: name, outline: "deep" }, parts.join("\n\n"));
}

const linkTo = (/** @type {string[]} */ path) =>
  `[${code(["mdkit", ...path].join(" "))}](${linkOf(path)})`;

/**
 * Generates the CLI pages into `src/reference/cli/`.
 *
 * @returns {Promise<CliPage[]>} one per command, `mdkit` first.
 * @example
 * const pages = await buildCliReference();
 * pages.map((page) => page.text); // ["mdkit", "mdkit scan", ..., "mdkit cm reports", ...]
 */
export async function buildCliReference() {
  const tree = await commandTree();
  await rm(cliDir, { recursive: true, force: true });
  await mkdir(cliDir, { recursive: true });
  // The root's own options, but for help and version, which each command answers itself.
  const rootOptions = tree[0]?.sections.find((section) => section.title === "Options");
  const inherited = items(rootOptions?.lines ?? [])
    .map((item) => item.term)
    .filter((term) => !/--(help|version)\b/.test(term));
  for (const help of tree) {
    const file = help.path.length ? `${slugOf(help.path)}.md` : "index.md";
    await writeFile(join(cliDir, file), renderCommand(help, inherited));
  }
  return tree.map((help) => ({
    text: ["mdkit", ...help.path].join(" "),
    link: linkOf(help.path),
    path: help.path,
  }));
}

/**
 * The OpenAPI specs as the HTTP reference reads them: parsed from
 * `specs/*.yaml`, local `$ref`s resolved on demand, operations listed with
 * their parameters merged (path-level, then operation-level).
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parse } from "yaml";
import { repoRoot } from "../site.mjs";

/** HTTP methods an OpenAPI path item may hold, in display order. */
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/**
 * @typedef {Record<string, any>} Node an object of the spec (schema, parameter, response, ...).
 */

/**
 * @typedef {object} Operation
 * @property {string} id operationId.
 * @property {string} method upper case.
 * @property {string} path
 * @property {string} slug page name: the operationId in kebab case.
 * @property {string} tag first tag ("Other" without one).
 * @property {Node} node the operation object.
 * @property {Node[]} parameters resolved, path-level ones first, overridden by the operation's.
 * @property {string} pointer JSON pointer of the operation in its spec (`/paths/~1file/post`).
 */

/**
 * @typedef {object} Spec
 * @property {string} name file name without extension (`cluster`).
 * @property {string} file file name (`cluster.yaml`).
 * @property {string} text the YAML as written.
 * @property {Node} doc the parsed document.
 * @property {Operation[]} operations in the order of the spec.
 * @property {(node: Node | undefined) => Node | undefined} resolve follows a local `$ref` (repeatedly).
 * @property {(ref: string) => string} refName the last segment of a `$ref` (`#/components/schemas/Rule` → `Rule`).
 */

/** Every `specs/*.yaml` except the linter's ruleset, by file name. */
export function loadSpecs() {
  const dir = join(repoRoot, "specs");
  return readdirSync(dir)
    .filter((file) => file.endsWith(".yaml"))
    .map((file) => ({ file, text: readFileSync(join(dir, file), "utf8") }))
    .map(({ file, text }) => ({ file, text, doc: parse(text) }))
    .filter(({ doc }) => typeof doc?.openapi === "string")
    .sort((a, b) => a.file.localeCompare(b.file))
    .map(({ file, text, doc }) => toSpec(file, text, doc));
}

/**
 * @param {string} file
 * @param {string} text
 * @param {Node} doc
 * @returns {Spec}
 */
function toSpec(file, text, doc) {
  /** @param {string} ref */
  const lookup = (ref) => {
    if (!ref.startsWith("#/"))
      throw new Error(`[@mdkit/docs] ${file}: only local $refs are supported (${ref})`);
    /** @type {any} */
    let node = doc;
    for (const part of ref.slice(2).split("/")) {
      node = node?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    }
    if (node === undefined) throw new Error(`[@mdkit/docs] ${file}: unresolved $ref ${ref}`);
    return node;
  };
  /** @param {Node | undefined} node */
  const resolve = (node) => {
    let current = node;
    for (let hops = 0; current && typeof current.$ref === "string"; hops++) {
      if (hops > 20) throw new Error(`[@mdkit/docs] ${file}: $ref cycle at ${current.$ref}`);
      current = lookup(current.$ref);
    }
    return current;
  };
  /** @type {Operation[]} */
  const operations = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    const shared = (item.parameters ?? []).map(resolve);
    for (const method of METHODS) {
      const node = item[method];
      if (!node) continue;
      const own = (node.parameters ?? []).map(resolve);
      const key = (/** @type {Node} */ p) => `${p.in}:${String(p.name).toLowerCase()}`;
      const ownKeys = new Set(own.map(key));
      const id = node.operationId ?? `${method}${path}`;
      operations.push({
        id,
        method: method.toUpperCase(),
        path,
        slug: kebab(id),
        tag: node.tags?.[0] ?? "Other",
        node,
        parameters: [...shared.filter((/** @type {Node} */ p) => !ownKeys.has(key(p))), ...own],
        pointer: `/paths/${path.replace(/~/g, "~0").replace(/\//g, "~1")}/${method}`,
      });
    }
  }
  return {
    name: basename(file, ".yaml"),
    file,
    text,
    doc,
    operations,
    resolve,
    refName: (ref) => ref.split("/").pop() ?? ref,
  };
}

/** `analyzeFile` → `analyze-file`. */
export function kebab(/** @type {string} */ name) {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .toLowerCase();
}

/**
 * How an operation is called with the typed client of its spec: the client
 * package is `@mdkit/<spec name>` (`specs/cluster.yaml` → `@mdkit/cluster`),
 * its factory and client type are read from the package's entry, and the
 * call is written with the operation's required parameters and example values.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../site.mjs";

/** @typedef {import("./spec-model.mjs").Spec} Spec */
/** @typedef {import("./spec-model.mjs").Operation} Operation */
/** @typedef {import("./spec-model.mjs").Node} Node */

/**
 * @typedef {object} ClientInfo
 * @property {string} packageName `@mdkit/cluster`
 * @property {string} factory `createClusterClient`
 * @property {string} type `ClusterClient`
 * @property {string} variable what the guides call the client: `cluster`, `cm`.
 */

/** Names the guides give the clients; any other spec's client is called `client`. */
const VARIABLES = /** @type {Record<string, string>} */ ({
  cluster: "cluster",
  "central-management": "cm",
});

/**
 * The typed client of a spec, or `undefined` when no package is generated from it.
 *
 * @param {Spec} spec
 * @returns {ClientInfo | undefined}
 */
export function clientOf(spec) {
  let index;
  try {
    index = readFileSync(join(repoRoot, "packages", spec.name, "src", "index.ts"), "utf8");
  } catch {
    return undefined;
  }
  const factory = /\b(create\w*Client)\b/.exec(index)?.[1];
  const type = /\btype (\w+Client)\b/.exec(index)?.[1];
  if (!factory || !type) return undefined;
  return {
    packageName: `@mdkit/${spec.name}`,
    factory,
    type,
    variable: VARIABLES[spec.name] ?? "client",
  };
}

/** An example value for a parameter or schema: its example, default, first enum value, or a typed placeholder. */
function sample(/** @type {Spec} */ spec, /** @type {Node} */ holder) {
  const schema = spec.resolve(holder.schema ?? holder) ?? {};
  const value =
    holder.example ?? schema.example ?? schema.default ?? schema.enum?.[0] ?? schema.examples?.[0];
  if (value !== undefined) return value;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === "integer" || type === "number") return 1;
  if (type === "boolean") return true;
  if (type === "array") return [];
  if (type === "object") return {};
  return "…";
}

/** A JavaScript property key: bare when it is an identifier. */
const key = (/** @type {string} */ name) =>
  /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);

/**
 * The call of an operation through its typed client, as TypeScript.
 *
 * @param {Spec} spec
 * @param {Operation} operation
 * @param {ClientInfo} client
 * @returns {{ code: string, needs: string[] }} the call, and the variables it uses besides the client (`file`).
 * @example
 * callOf(spec, analyzeFile, client).code;
 * // const { data, error, response } = await cluster.POST("/file", { params: { header: { "Content-Length": 482113 } }, body: file });
 */
export function callOf(spec, operation, client) {
  /** @type {string[]} */
  const lines = [];
  /** @type {string[]} */
  const needs = [];
  /** @type {Record<string, Node[]>} */
  const byPlace = {};
  for (const parameter of operation.parameters) {
    byPlace[parameter.in] = [...(byPlace[parameter.in] ?? []), parameter];
  }
  const paramLines = [];
  for (const place of ["path", "query", "header"]) {
    const all = byPlace[place] ?? [];
    const required = all.filter((parameter) => parameter.required);
    if (!required.length) continue;
    const entries = required.map((p) => `${key(p.name)}: ${JSON.stringify(sample(spec, p))}`);
    paramLines.push(`    ${place}: { ${entries.join(", ")} },`);
  }
  if (paramLines.length) lines.push("  params: {", ...paramLines, "  },");
  const body = spec.resolve(operation.node.requestBody);
  if (body?.content) {
    const [mediaType, media] = /** @type {[string, Node]} */ (Object.entries(body.content)[0]);
    const schema = spec.resolve(media.schema) ?? {};
    if (schema.format === "binary") {
      lines.push(
        `  body: file, // ${mediaType}: a Blob, bytes, a ReadableStream or an async iterable`,
      );
      needs.push("file");
    } else {
      const value = media.example ?? schema.example ?? schema.examples?.[0] ?? {};
      const literal = JSON.stringify(value, null, 2).replace(/\n/g, "\n  ");
      lines.push(`  body: ${literal},`);
    }
  }
  const parseAs = parseAsOf(spec, operation);
  if (parseAs) lines.push(`  parseAs: "${parseAs}",`);
  const args = lines.length ? `, {\n${lines.join("\n")}\n}` : "";
  const call = `const { data, error, response } = await ${client.variable}.${operation.method}(${JSON.stringify(operation.path)}${args});`;
  return { code: call, needs };
}

/** How the success body is read: a stream for binary, text for YAML or plain text, JSON otherwise. */
function parseAsOf(/** @type {Spec} */ spec, /** @type {Operation} */ operation) {
  const ok = Object.entries(operation.node.responses ?? {}).find(([status]) =>
    status.startsWith("2"),
  );
  const content = spec.resolve(ok?.[1])?.content ?? {};
  const types = Object.keys(content);
  if (types.some((type) => type === "application/octet-stream")) return "stream";
  if (types.length && types.every((type) => !/json/.test(type))) return "text";
  return undefined;
}

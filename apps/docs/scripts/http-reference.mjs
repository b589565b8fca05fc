/**
 * The HTTP reference, rendered from `specs/*.yaml` at build time with no
 * network: per spec an overview (servers, authentication, operations by
 * tag), one page per operation (every parameter, header, body, response and
 * example, the typed client call that makes it and the SDK functions that
 * use it) and a page of every schema. The spec files themselves are
 * published beside the pages (`/specs/<name>.yaml`).
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { STATUS_CODES } from "node:http";
import { join } from "node:path";
import { callOf, clientOf } from "./http/client-call.mjs";
import {
  constraints,
  examples,
  fieldRows,
  fieldTable,
  nameTable,
  typeLabel,
} from "./http/schema-markdown.mjs";
import { loadSpecs } from "./http/spec-model.mjs";
import { findCallers } from "./http/used-by.mjs";
import { cell, code, escapeText, fence, headingId, page } from "./markdown.mjs";
import { referenceDir, srcDir } from "./site.mjs";

/** @typedef {import("./http/spec-model.mjs").Spec} Spec */
/** @typedef {import("./http/spec-model.mjs").Operation} Operation */
/** @typedef {import("./http/spec-model.mjs").Node} Node */
/** @typedef {import("./http/client-call.mjs").ClientInfo} ClientInfo */
/** @typedef {import("./http/used-by.mjs").Caller} Caller */

/** Output directory of the HTTP pages. */
export const httpDir = join(referenceDir, "http");

/** Where the spec files are published (VitePress copies `public/` as is). */
const specsPublicDir = join(srcDir, "public", "specs");

/**
 * @typedef {object} HttpSpecPages
 * @property {string} title the API's title.
 * @property {string} link its overview page.
 * @property {string} file the spec's file name.
 * @property {Array<{ tag: string, operations: Array<{ method: string, path: string, summary: string, link: string }> }>} tags
 * @property {string} schemas link of its schemas page.
 */

/**
 * Generates the HTTP pages into `src/reference/http/`.
 *
 * @param {import("./http/used-by.mjs").Declaration[]} declarations the API reference's exports, to link the SDK calls.
 * @returns {Promise<HttpSpecPages[]>}
 * @example
 * const [cluster] = await buildHttpReference(declarations);
 */
export async function buildHttpReference(declarations) {
  const specs = loadSpecs();
  const callers = findCallers(declarations);
  await rm(httpDir, { recursive: true, force: true });
  await rm(specsPublicDir, { recursive: true, force: true });
  await mkdir(specsPublicDir, { recursive: true });
  /** @type {HttpSpecPages[]} */
  const result = [];
  for (const spec of specs) {
    const dir = join(httpDir, spec.name);
    await mkdir(dir, { recursive: true });
    await writeFile(join(specsPublicDir, spec.file), spec.text);
    const client = clientOf(spec);
    for (const operation of spec.operations) {
      const markdown = renderOperation(
        spec,
        operation,
        client,
        callers.get(`${operation.method} ${operation.path}`) ?? [],
      );
      await writeFile(join(dir, `${operation.slug}.md`), markdown);
    }
    await writeFile(join(dir, "schemas.md"), renderSchemas(spec));
    await writeFile(join(dir, "index.md"), renderOverview(spec, client));
    result.push({
      title: spec.doc.info?.title ?? spec.name,
      link: `/reference/http/${spec.name}/`,
      file: spec.file,
      tags: tagsOf(spec).map(({ tag, operations }) => ({
        tag,
        operations: operations.map((operation) => ({
          method: operation.method,
          path: operation.path,
          summary: operation.node.summary ?? "",
          link: operationLink(spec, operation),
        })),
      })),
      schemas: `/reference/http/${spec.name}/schemas`,
    });
  }
  await writeFile(join(httpDir, "index.md"), renderIndex(result));
  return result;
}

const operationLink = (/** @type {Spec} */ spec, /** @type {Operation} */ operation) =>
  `/reference/http/${spec.name}/${operation.slug}`;

/** Operations grouped by their first tag, tags in the spec's order. */
function tagsOf(/** @type {Spec} */ spec) {
  const order = (spec.doc.tags ?? []).map((/** @type {Node} */ tag) => tag.name);
  /** @type {Map<string, Operation[]>} */
  const groups = new Map(order.map((/** @type {string} */ name) => [name, []]));
  for (const operation of spec.operations) {
    const list = groups.get(operation.tag) ?? [];
    list.push(operation);
    groups.set(operation.tag, list);
  }
  return [...groups]
    .filter(([, operations]) => operations.length)
    .map(([tag, operations]) => ({ tag, operations }));
}

/** The spec's `x-mdkit-*` notes of a node, as a callout. */
function notes(/** @type {Node} */ node) {
  const parts = [];
  if (node["x-mdkit-addition"])
    parts.push(`**Added by mdkit's spec:** ${cell(String(node["x-mdkit-addition"]))}`);
  if (node["x-mdkit-note"]) parts.push(`**Note:** ${cell(String(node["x-mdkit-note"]))}`);
  if (node["x-mdkit-document-path"])
    parts.push(
      `**The document writes the path as** ${code(String(node["x-mdkit-document-path"]))}.`,
    );
  if (node["x-mdkit-streaming"])
    parts.push(
      `**Streamed:** the body is sent as ${code(String(node["x-mdkit-streaming"]))}; read it record by record.`,
    );
  return parts.length ? `::: info From the spec\n${parts.join("\n\n")}\n:::` : "";
}

/**
 * A parameter table: name, type, required, description with every constraint.
 *
 * @param {Spec} spec
 * @param {Node[]} parameters
 */
function parameterTable(spec, parameters) {
  return nameTable(
    "name",
    parameters.map((parameter) => ({
      name: parameter.name,
      type: typeLabel(spec, parameter.schema),
      required: !!parameter.required,
      description: [cell(parameter.description), ...constraints(spec, parameter.schema, parameter)]
        .filter(Boolean)
        .join(" "),
    })),
  );
}

/** Authentication of an operation: its own `security`, else the spec's. */
function security(/** @type {Spec} */ spec, /** @type {Operation} */ operation) {
  const requirements = operation.node.security ?? spec.doc.security ?? [];
  const schemes = spec.doc.components?.securitySchemes ?? {};
  const names = requirements.flatMap((/** @type {Node} */ requirement) => Object.keys(requirement));
  if (!names.length) return "None: this operation is called without credentials.";
  return names
    .map((/** @type {string} */ name) => {
      const scheme = schemes[name] ?? {};
      const how =
        scheme.type === "apiKey"
          ? `${code(scheme.name)} ${scheme.in}`
          : scheme.type === "http"
            ? `HTTP ${code(scheme.scheme)}`
            : (scheme.type ?? "");
      return `[${code(name)}](/reference/http/${spec.name}/#authentication) (${how})`;
    })
    .join(", or ");
}

/**
 * One operation's page.
 *
 * @param {Spec} spec
 * @param {Operation} operation
 * @param {ClientInfo | undefined} client
 * @param {Caller[]} callers
 */
function renderOperation(spec, operation, client, callers) {
  const node = operation.node;
  const title = `${operation.method} ${operation.path}`;
  const parts = [
    `# ${escapeText(title)}`,
    `${code(operation.id)} · ${escapeText(operation.tag)} · [${spec.doc.info?.title ?? spec.name}](/reference/http/${spec.name}/) · spec: <a href="/specs/${spec.file}" target="_blank">${code(`specs/${spec.file}`)}</a> ${code(`#${operation.pointer}`)}${node.deprecated ? " · **Deprecated**" : ""}`,
  ];
  if (node.summary) parts.push(`**${escapeText(node.summary)}**`);
  if (node.description) parts.push(node.description.trim());
  const callout = notes(node);
  if (callout) parts.push(callout);

  if (client) {
    const { code: call } = callOf(spec, operation, client);
    parts.push("## Typed client call", fence("ts", call));
    const factoryLink = `[${code(client.factory)}](/reference/api/${client.packageName}#${headingId(client.factory)})`;
    parts.push(
      `${code(client.variable)} is the client of ${code(client.packageName)}, made by ${factoryLink}: the call is typed from this operation (parameters, body, every response).`,
    );
    if (callers.length) {
      const list = callers.map(
        (caller) => `[${code(caller.name)}](${caller.link}) (${code(caller.module)})`,
      );
      parts.push(`Made for you by ${list.join(", ")}.`);
    }
  }

  parts.push("## Authentication", security(spec, operation));
  const family = node["x-mdkit-header-family"];
  for (const [place, heading] of [
    ["path", "Path parameters"],
    ["query", "Query parameters"],
    ["header", "Headers"],
    ["cookie", "Cookies"],
  ]) {
    const parameters = operation.parameters.filter((parameter) => parameter.in === place);
    if (!parameters.length && !(place === "header" && family)) continue;
    parts.push(`## ${heading}`);
    if (parameters.length) parts.push(parameterTable(spec, parameters));
    if (place === "header" && family) {
      parts.push(
        `Plus any number of ${code(`${family.prefix}{name}`)} headers: ${cell(family.description)}`,
      );
    }
  }

  const body = spec.resolve(node.requestBody);
  if (body) {
    parts.push(
      "## Request body",
      `${body.required ? "Required." : "Optional."} ${cell(body.description)}`,
    );
    for (const [mediaType, media] of Object.entries(body.content ?? {})) {
      parts.push(...mediaBlock(spec, mediaType, media, "###"));
    }
  }

  parts.push("## Responses");
  for (const [status, raw] of Object.entries(node.responses ?? {})) {
    const response = spec.resolve(raw) ?? {};
    const reason = STATUS_CODES[status] ?? (status === "default" ? "any other status" : "");
    parts.push(`### ${status}${reason ? ` ${reason}` : ""}`, cell(response.description));
    const responseNotes = notes(response);
    if (responseNotes) parts.push(responseNotes);
    const headers = Object.entries(response.headers ?? {}).map(([name, header]) => ({
      name,
      in: "header",
      ...spec.resolve(header),
    }));
    if (headers.length) parts.push("Headers:", parameterTable(spec, headers));
    for (const [mediaType, media] of Object.entries(response.content ?? {})) {
      parts.push(...mediaBlock(spec, mediaType, media, "####"));
    }
  }
  return page({ title, outline: [2, 3] }, parts.join("\n\n"));
}

/**
 * A body of one media type: its schema (type and fields) and examples.
 *
 * @param {Spec} spec
 * @param {string} mediaType
 * @param {Node} media
 * @param {string} level heading marks for the media type.
 */
function mediaBlock(spec, mediaType, media, level) {
  const parts = [`${level} ${escapeText(mediaType)}`, `Schema: ${typeLabel(spec, media.schema)}`];
  // Fields of a named schema are on the schemas page; inline ones are shown here.
  if (media.schema && !media.schema.$ref) {
    const table = fieldTable(fieldRows(spec, media.schema));
    if (table) parts.push(table);
  }
  const blocks = examples(spec, mediaType, media);
  if (blocks.length) parts.push("Example:", ...blocks);
  return parts;
}

/** Every named schema of a spec, with the operations that use it. */
function renderSchemas(/** @type {Spec} */ spec) {
  const schemas = spec.doc.components?.schemas ?? {};
  const parts = [
    `# ${escapeText(spec.doc.info?.title ?? spec.name)}: schemas`,
    `Every schema of <a href="/specs/${spec.file}" target="_blank">${code(`specs/${spec.file}`)}</a>. The typed client exposes them as ${code('components["schemas"]["<name>"]')}.`,
  ];
  for (const [name, schema] of Object.entries(schemas)) {
    parts.push(`## ${name}`);
    if (schema.description) parts.push(schema.description.trim());
    const callout = notes(schema);
    if (callout) parts.push(callout);
    parts.push(`Type: ${typeLabel(spec, { ...schema, description: undefined })}`);
    const details = constraints(spec, schema, {});
    if (details.length) parts.push(details.join(" "));
    const table = fieldTable(fieldRows(spec, schema));
    if (table) parts.push(table);
    const blocks = examples(spec, "application/json", schema);
    if (blocks.length) parts.push("Example:", ...blocks);
    const users = spec.operations.filter((operation) =>
      JSON.stringify(operation.node).includes(`"#/components/schemas/${name}"`),
    );
    if (users.length) {
      const links = users.map(
        (operation) =>
          `[${code(`${operation.method} ${operation.path}`)}](${operationLink(spec, operation)})`,
      );
      parts.push(`Used by ${links.join(", ")}.`);
    }
  }
  return page(
    { title: `${spec.doc.info?.title ?? spec.name}: schemas`, outline: 2 },
    parts.join("\n\n"),
  );
}

/** The overview of one spec: what it is, servers, authentication, operations by tag. */
function renderOverview(/** @type {Spec} */ spec, /** @type {ClientInfo | undefined} */ client) {
  const info = spec.doc.info ?? {};
  const parts = [`# ${escapeText(info.title ?? spec.name)}`];
  parts.push(
    `Version ${code(String(info.version ?? ""))} · ${spec.operations.length} operations · spec: <a href="/specs/${spec.file}" target="_blank">${code(`specs/${spec.file}`)}</a>${client ? ` · typed client: [${code(client.packageName)}](/reference/api/${client.packageName})` : ""}`,
  );
  if (info.summary) parts.push(`**${escapeText(info.summary)}**`);
  if (info.description) parts.push(info.description.trim());
  const servers = spec.doc.servers ?? [];
  if (servers.length) {
    parts.push(
      "## Servers",
      ...servers.map(
        (/** @type {Node} */ server) => `- ${code(server.url)}: ${cell(server.description)}`,
      ),
    );
  }
  parts.push("## Authentication");
  for (const [name, scheme] of Object.entries(spec.doc.components?.securitySchemes ?? {})) {
    const how =
      scheme.type === "apiKey"
        ? `${code(scheme.name)} in ${scheme.in}`
        : `${scheme.type} ${scheme.scheme ?? ""}`;
    parts.push(`**${code(name)}** (${how}): ${cell(scheme.description)}`);
  }
  parts.push("## Operations");
  for (const { tag, operations } of tagsOf(spec)) {
    const description = (spec.doc.tags ?? []).find(
      (/** @type {Node} */ candidate) => candidate.name === tag,
    )?.description;
    parts.push(`### ${escapeText(tag)}`);
    if (description) parts.push(description.trim());
    parts.push(
      [
        "| operation | summary |",
        "| --- | --- |",
        ...operations.map(
          (operation) =>
            `| [${code(`${operation.method} ${operation.path}`)}](${operationLink(spec, operation)}) | ${cell(operation.node.summary)} (${code(operation.id)}) |`,
        ),
      ].join("\n"),
    );
  }
  parts.push(
    "## Schemas",
    `[Every schema](/reference/http/${spec.name}/schemas) of the spec, with its fields and examples.`,
  );
  return page({ title: info.title ?? spec.name, outline: 2 }, parts.join("\n\n"));
}

/** The HTTP reference's landing page. */
function renderIndex(/** @type {HttpSpecPages[]} */ specs) {
  const rows = specs.map((spec) => {
    const count = spec.tags.reduce((sum, tag) => sum + tag.operations.length, 0);
    return `| [${escapeText(spec.title)}](${spec.link}) | ${count} | <a href="/specs/${spec.file}" target="_blank">${code(`specs/${spec.file}`)}</a> |`;
  });
  const body = `# HTTP reference

Every operation of the two APIs mdkit implements, rendered from its OpenAPI
specs: parameters, headers, bodies, responses, schemas and examples, with the
typed client call that makes each operation.

| API | operations | spec |
| --- | --- | --- |
${rows.join("\n")}`;
  return page({ title: "HTTP reference" }, body);
}

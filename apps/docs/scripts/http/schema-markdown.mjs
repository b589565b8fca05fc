/**
 * Schemas, parameters and examples of a spec as Markdown: type labels that
 * link to the schema they name, field tables that unfold inline objects,
 * every constraint (default, enum, range, pattern, format) and every example.
 */
import { cell, code, escapeText, fence } from "../markdown.mjs";

/** @typedef {import("./spec-model.mjs").Spec} Spec */
/** @typedef {import("./spec-model.mjs").Node} Node */

/** Anchor of a schema's section on its spec's schemas page (VitePress lower-cases heading ids). */
export const schemaAnchor = (/** @type {string} */ name) =>
  name.replace(/[^A-Za-z0-9]+/g, "-").toLowerCase();

/** Site path of a spec's schemas page. */
export const schemasPage = (/** @type {Spec} */ spec) => `/reference/http/${spec.name}/schemas`;

/**
 * A schema's type as Markdown: `string (int64)`, `Rule[]`, `map of EngineScanDetail`,
 * `AnalysisResult | NotFoundResult`; named schemas link to their section.
 *
 * @param {Spec} spec
 * @param {Node | undefined} schema
 * @returns {string}
 */
export function typeLabel(spec, schema) {
  if (!schema) return "any";
  if (typeof schema.$ref === "string") {
    const name = spec.refName(schema.$ref);
    return `[${name}](${schemasPage(spec)}#${schemaAnchor(name)})`;
  }
  if (schema.const !== undefined) return code(JSON.stringify(schema.const));
  for (const [key, joiner] of [
    ["oneOf", " \\| "],
    ["anyOf", " \\| "],
    ["allOf", " & "],
  ]) {
    const parts = schema[/** @type {string} */ (key)];
    if (Array.isArray(parts)) {
      return parts.map((/** @type {Node} */ part) => typeLabel(spec, part)).join(joiner);
    }
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? inferType(schema)];
  return types
    .map((/** @type {string} */ type) => {
      if (type === "array") return `${typeLabel(spec, schema.items)}[]`;
      if (type === "object" && isMap(schema)) {
        const values = schema.additionalProperties;
        return values === true || values === undefined || Object.keys(values).length === 0
          ? "object"
          : `map of ${typeLabel(spec, values)}`;
      }
      if (type === "string" && schema.format === "binary") return "binary";
      return schema.format && type !== "null" ? `${type} (${schema.format})` : String(type);
    })
    .join(" \\| ");
}

/** @param {Node} schema */
function inferType(schema) {
  if (schema.properties || schema.additionalProperties) return "object";
  if (schema.items) return "array";
  return "any";
}

/** An object whose only members are additional properties. */
function isMap(/** @type {Node} */ schema) {
  return !schema.properties && schema.additionalProperties !== undefined;
}

/**
 * Everything a reader may need beside the description: deprecation, enum
 * values (with their meanings), default, range, length, pattern, example,
 * and where mdkit's spec adds to or decides over the source document.
 *
 * @param {Spec} spec
 * @param {Node | undefined} schema
 * @param {Node} [owner] the parameter, header or property holding the schema (its own `example`, notes).
 * @returns {string[]} Markdown fragments.
 */
export function constraints(spec, schema, owner = {}) {
  const resolved = spec.resolve(schema) ?? {};
  /** @type {string[]} */
  const notes = [];
  if (owner.deprecated || resolved.deprecated) notes.push("**Deprecated.**");
  if (Array.isArray(resolved.enum) && !schema?.$ref) {
    const meanings = resolved["x-enum-descriptions"];
    const values = resolved.enum.map((/** @type {unknown} */ value, /** @type {number} */ i) => {
      const meaning = Array.isArray(meanings) ? meanings[i] : meanings?.[String(value)];
      return meaning
        ? `${code(JSON.stringify(value))} (${cell(String(meaning))})`
        : code(JSON.stringify(value));
    });
    notes.push(`One of ${values.join(", ")}.`);
  }
  const bounds = [
    ["default", "Default"],
    ["minimum", "Minimum"],
    ["exclusiveMinimum", "Greater than"],
    ["maximum", "Maximum"],
    ["exclusiveMaximum", "Less than"],
    ["minLength", "Min length"],
    ["maxLength", "Max length"],
    ["minItems", "Min items"],
    ["maxItems", "Max items"],
    ["pattern", "Pattern"],
  ];
  for (const [key, label] of bounds) {
    const value = resolved[/** @type {string} */ (key)];
    if (value !== undefined && (key !== "default" || !schema?.$ref)) {
      notes.push(
        `${label}: ${code(typeof value === "string" && key === "pattern" ? value : JSON.stringify(value))}.`,
      );
    }
  }
  const example = owner.example ?? (schema?.$ref ? undefined : resolved.example);
  if (example !== undefined && typeof example !== "object") {
    notes.push(
      `Example: ${code(typeof example === "string" ? example : JSON.stringify(example))}.`,
    );
  }
  if (owner["x-mdkit-addition"] ?? resolved["x-mdkit-addition"])
    notes.push("*Added by mdkit's spec.*");
  return notes;
}

/**
 * @typedef {object} FieldRow
 * @property {string} name dotted path (`scan_results.scan_details`).
 * @property {string} type
 * @property {boolean} required
 * @property {string} description Markdown on one line.
 */

/**
 * The fields of an object schema, inline objects unfolded (`a.b`, `list[].c`),
 * named schemas linked rather than repeated.
 *
 * @param {Spec} spec
 * @param {Node | undefined} schema
 * @param {string} [prefix]
 * @param {number} [depth]
 * @returns {FieldRow[]}
 */
export function fieldRows(spec, schema, prefix = "", depth = 0) {
  if (!schema || depth > 5) return [];
  if (schema.$ref && depth > 0) return [];
  const resolved = spec.resolve(schema) ?? {};
  /** @type {FieldRow[]} */
  const rows = [];
  for (const part of resolved.allOf ?? []) rows.push(...fieldRows(spec, part, prefix, depth + 1));
  const required = new Set(resolved.required ?? []);
  for (const [name, property] of Object.entries(resolved.properties ?? {})) {
    const path = `${prefix}${name}`;
    const target = spec.resolve(property) ?? {};
    const description = [
      cell(property.description ?? (property.$ref ? "" : target.description)),
      ...constraints(spec, property, property),
    ]
      .filter(Boolean)
      .join(" ");
    rows.push({
      name: path,
      type: typeLabel(spec, property),
      required: required.has(name),
      description,
    });
    if (!property.$ref) {
      if (target.properties || target.allOf)
        rows.push(...fieldRows(spec, property, `${path}.`, depth + 1));
      const items = target.items;
      if (items && !items.$ref && (items.properties || items.allOf)) {
        rows.push(...fieldRows(spec, items, `${path}[].`, depth + 1));
      }
    }
  }
  return rows;
}

/**
 * A field table, or nothing for a schema without fields.
 *
 * @param {FieldRow[]} rows
 * @returns {string}
 */
export function fieldTable(rows) {
  if (!rows.length) return "";
  return nameTable("field", rows);
}

/**
 * A two-column table (name with its type, description) that fits a phone's
 * width: the name cell holds the type and whether it is required.
 *
 * @param {string} heading the first column's heading (`field`, `name`).
 * @param {FieldRow[]} rows
 * @returns {string}
 */
export function nameTable(heading, rows) {
  const lines = rows.map((row) => {
    const what = `${row.type}${row.required ? ", **required**" : ""}`;
    return `| ${code(row.name)}<br>${what} | ${row.description} |`;
  });
  return [`| ${heading} | description |`, "| --- | --- |", ...lines].join("\n");
}

/**
 * Every example of a media type (or schema): `example`, the named `examples`
 * of a media type, or the `examples` list of a schema, as code blocks.
 *
 * @param {Spec} spec
 * @param {string} mediaType
 * @param {Node} holder a media type object or a schema.
 * @returns {string[]} Markdown blocks.
 */
export function examples(spec, mediaType, holder) {
  /** @type {Array<{ title?: string, value: unknown }>} */
  const found = [];
  if (holder.example !== undefined) found.push({ value: holder.example });
  if (Array.isArray(holder.examples)) {
    for (const value of holder.examples) found.push({ value });
  } else if (holder.examples && typeof holder.examples === "object") {
    for (const [name, example] of Object.entries(holder.examples)) {
      const resolved = spec.resolve(example) ?? {};
      found.push({ title: resolved.summary ?? name, value: resolved.value });
    }
  }
  const json = /json/.test(mediaType);
  return found.map(({ title, value }) => {
    const lang = json ? "json" : /yaml/.test(mediaType) ? "yaml" : "text";
    const body =
      typeof value === "string" && !json ? value : (JSON.stringify(value, null, 2) ?? "null");
    return `${title ? `${escapeText(title)}\n\n` : ""}${fence(lang, body)}`;
  });
}

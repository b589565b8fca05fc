/**
 * A tiny YAML emitter for the signed batch result: block mappings,
 * sequences of scalars or mappings (written at the key's indentation, as
 * MetaDefender Core does), literal blocks for multi-line strings, and
 * strings quoted whenever a plain scalar could be read as something else.
 * `null` is written as an empty value (`key:`).
 */

/** A value the emitter writes. */
export type YamlValue = string | number | boolean | null | YamlValue[] | YamlMap;
/** A mapping; `undefined` values are skipped. */
export interface YamlMap {
  [key: string]: YamlValue | undefined;
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const PLAIN = /^[A-Za-z0-9_./(][A-Za-z0-9 _./()%@+,;=:!?'-]*$/;
const RESERVED = /^(true|false|yes|no|y|n|on|off|null|~)$/i;
const NUMBER_LIKE = /^[-+]?(\.?\d|0x|0o|\.inf|\.nan)/i;
const HEX_ID = /^[0-9a-f]*[a-f][0-9a-f]*$/;
const FLOAT = /^[-+]?(\.\d+|\d+(\.\d*)?)([eE][-+]?\d+)?$/;

/** Ids and hashes (long lowercase hex) stay plain unless YAML would read them as numbers. */
const isHexId = (value: string) => value.length >= 16 && HEX_ID.test(value) && !FLOAT.test(value);

function scalar(value: string | number | boolean | null): string {
  if (value === null) return "";
  if (typeof value !== "string") return String(value);
  if (ISO_TIME.test(value)) return value;
  const plain =
    PLAIN.test(value) &&
    !RESERVED.test(value) &&
    (!NUMBER_LIKE.test(value) || isHexId(value)) &&
    !value.endsWith(" ") &&
    !value.endsWith(":") &&
    !value.includes(": ") &&
    !value.includes(" #");
  // JSON strings are valid YAML double-quoted scalars.
  return plain ? value : JSON.stringify(value);
}

function isMap(value: YamlValue): value is YamlMap {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function literal(value: string, indent: string): string {
  const chomp = value.endsWith("\n") ? "" : "-";
  const body = value.endsWith("\n") ? value.slice(0, -1) : value;
  return `|${chomp}\n${body
    .split("\n")
    .map((line) => (line ? `${indent}${line}` : ""))
    .join("\n")}`;
}

function entry(key: string, value: YamlValue, indent: string): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return `${indent}${key}: []\n`;
    return `${indent}${key}:\n${value.map((item) => sequenceItem(item, indent)).join("")}`;
  }
  if (isMap(value)) {
    const body = mapping(value, `${indent}  `);
    return body ? `${indent}${key}:\n${body}` : `${indent}${key}: {}\n`;
  }
  if (typeof value === "string" && value.includes("\n")) {
    return `${indent}${key}: ${literal(value, `${indent}  `)}\n`;
  }
  const text = scalar(value);
  return text ? `${indent}${key}: ${text}\n` : `${indent}${key}:\n`;
}

function sequenceItem(item: YamlValue, indent: string): string {
  if (isMap(item)) {
    const body = mapping(item, `${indent}  `);
    return body ? `${indent}- ${body.slice(indent.length + 2)}` : `${indent}- {}\n`;
  }
  if (Array.isArray(item)) return `${indent}- ${JSON.stringify(item)}\n`;
  return `${indent}- ${typeof item === "string" && item.includes("\n") ? JSON.stringify(item) : scalar(item)}\n`;
}

function mapping(map: YamlMap, indent: string): string {
  let out = "";
  for (const [key, value] of Object.entries(map)) {
    if (value !== undefined) out += entry(key, value, indent);
  }
  return out;
}

/** One YAML document: `---`, the mapping, and the `...` end marker. */
export function yamlDocument(map: YamlMap): string {
  return `---\n${mapping(map, "")}...\n`;
}

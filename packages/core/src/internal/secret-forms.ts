/**
 * The forms a secret can take in text a server sends back, as one regular
 * expression per secret. A server may echo a secret raw, JSON-escaped
 * (`\"`, `\\`, `\/`, `\uXXXX`), as `util.inspect` writes it (`\'`, `\xNN`),
 * percent-encoded (any subset of characters, either hex case), form-encoded
 * (`+` for a space), HTML-escaped, CSV- or YAML-quoted (`""`, `''`), or in
 * base64 / base64url, alone or inside a larger encoded text (`user:password`
 * in Basic auth). Rather than listing every combination, each character of
 * the secret becomes an alternation of its encodings; ASCII letters and
 * digits are written the same in all of them, so their longest run is an
 * anchor: text without it cannot contain that form, which lets a scrubber
 * skip almost every line with one combined search.
 */

/** One searchable form: a pattern and a literal every match of it contains. */
export interface SecretForm {
  /** Regular-expression source matching the form. */
  source: string;
  /** A literal that every match contains, or "" when the form has none long enough. */
  anchor: string;
}

const ALNUM = /^[A-Za-z0-9]$/;
const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/-]/g;
/** `text` as a regular expression matching it literally. */
export const escapeRegex = (text: string) => text.replace(REGEX_SPECIAL, "\\$&");

/** Hex digits matching either case: `2f` → `2[fF]`. */
const hexEitherCase = (hex: string) =>
  hex.replace(/[a-fA-F]/g, (d) => `[${d.toLowerCase()}${d.toUpperCase()}]`);
const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");

const SHORT_JSON_ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  "\b": "b",
  "\f": "f",
  "\n": "n",
  "\r": "r",
  "\t": "t",
};
/** Quotes `util.inspect` escapes when they are the string's delimiter. */
const INSPECT_ESCAPED = new Set(["'", "`"]);
const HTML_NAMED: Record<string, string[]> = {
  "&": ["&amp;"],
  "<": ["&lt;"],
  ">": ["&gt;"],
  '"': ["&quot;"],
  "'": ["&apos;"],
};
/**
 * The backslash that starts an escape, once or a few times: text escaped
 * twice or three times (a JSON-escaped echo that the CLI writes as JSON
 * again) has `\\\"` for `"`. Bounded, never `+`: a hostile text of a
 * million backslashes must not make the search backtrack quadratically.
 */
const ESCAPE = "\\\\{1,8}";
/** Doubled quotes: CSV fields (`""`) and YAML single-quoted scalars (`''`). */
const DOUBLED = new Set(['"', "'"]);

const encoder = new TextEncoder();

/** Regex sources of every encoding of one character (one code point). */
function characterForms(char: string): string[] {
  if (ALNUM.test(char)) return [char];
  const forms: string[] = [];
  const codePoint = char.codePointAt(0) ?? 0;
  // JSON: \uXXXX for every UTF-16 unit (surrogate pairs for astral characters), either case.
  let units = "";
  for (let i = 0; i < char.length; i++)
    units += `${ESCAPE}u${hexEitherCase(hex(char.charCodeAt(i), 4))}`;
  forms.push(units);
  const short = SHORT_JSON_ESCAPES[char];
  if (short) forms.push(`${ESCAPE}${escapeRegex(short)}`);
  if (INSPECT_ESCAPED.has(char)) forms.push(`${ESCAPE}${char}`);
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f)) {
    forms.push(`${ESCAPE}x${hexEitherCase(hex(codePoint, 2))}`);
  }
  // Percent-encoding of the UTF-8 bytes (encodeURIComponent, encodeURI, forms, RFC 3986).
  forms.push(
    [...encoder.encode(char)]
      .map((byte) => `%${hexEitherCase(hex(byte, 2).toUpperCase())}`)
      .join(""),
  );
  if (char === " ") forms.push("\\+");
  // HTML: named, decimal and hexadecimal character references (leading zeros allowed).
  for (const named of HTML_NAMED[char] ?? []) forms.push(escapeRegex(named));
  forms.push(`&#0{0,8}${codePoint};`, `&#[xX]0{0,8}${hexEitherCase(hex(codePoint, 1))};`);
  if (DOUBLED.has(char)) forms.push(escapeRegex(char + char));
  forms.push(escapeRegex(char));
  return forms;
}

/** Compiled character patterns; a process meets few distinct characters. */
const characterPatterns = new Map<string, string>();

function characterPattern(char: string): string {
  let pattern = characterPatterns.get(char);
  if (pattern === undefined) {
    const forms = characterForms(char);
    pattern = forms.length === 1 ? escapeRegex(char) : `(?:${forms.join("|")})`;
    if (characterPatterns.size < 4096) characterPatterns.set(char, pattern);
  }
  return pattern;
}

function patternOf(text: string): string {
  let source = "";
  for (const char of text) source += characterPattern(char);
  return source;
}

const BASE64URL: Record<string, string> = { "+": "-", "/": "_" };

/**
 * The pattern of a base64 text: each character in its character-wise
 * encodings, `+` and `/` also as base64url's `-` and `_`, so one pattern
 * finds both alphabets.
 */
function base64Pattern(text: string): string {
  let source = "";
  for (const char of text) {
    const url = BASE64URL[char];
    source += url ? `(?:${url}|${characterPattern(char)})` : characterPattern(char);
  }
  return source;
}

function longestAlnumRun(text: string): string {
  let best = "";
  for (const run of text.match(/[A-Za-z0-9]+/g) ?? []) if (run.length > best.length) best = run;
  return best;
}

function base64Of(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The base64 characters that depend only on `secret` when it starts at byte
 * offset 0, 1 or 2 (mod 3) of a larger encoded text: the secret's "core" in
 * any base64 that contains it.
 */
export function base64Cores(secret: string): string[] {
  const bytes = encoder.encode(secret);
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = new Uint8Array(offset + bytes.length);
    padded.set(bytes, offset);
    const encoded = base64Of(padded);
    cores.push(
      encoded.slice(Math.ceil((offset * 4) / 3), Math.floor(((offset + bytes.length) * 4) / 3)),
    );
  }
  return cores;
}

/** Base64 cores shorter than this (without their edge characters) are not searched: they would match ordinary text. */
const MIN_BASE64_CORE = 8;
/** Anchors shorter than this are too common to skip text by. */
const MIN_ANCHOR = 3;

function formOf(source: string, anchorText: string): SecretForm {
  const anchor = longestAlnumRun(anchorText);
  return { source, anchor: anchor.length >= MIN_ANCHOR ? anchor : "" };
}

/**
 * A base64 core as a form (standard and url alphabets). Its edge characters
 * are optional: a text holding the core without them (as a conservative
 * leak check looks for) is caught, and one holding them loses them too.
 */
function base64Form(core: string): SecretForm {
  const inner = core.slice(1, -1);
  const edge = (char: string) => `(?:${base64Pattern(char)})?`;
  return formOf(`${edge(core.slice(0, 1))}${base64Pattern(inner)}${edge(core.slice(-1))}`, inner);
}

/**
 * Every form of `secret` worth searching for: the character-wise encodings
 * of the secret itself, and its base64 / base64url cores at each of the
 * three byte offsets (themselves in any of the character-wise encodings, as
 * `+/` get percent-encoded).
 */
export function secretForms(secret: string): SecretForm[] {
  const forms = [formOf(patternOf(secret), secret)];
  for (const core of base64Cores(secret)) {
    if (core.length - 2 >= MIN_BASE64_CORE) forms.push(base64Form(core));
  }
  return forms;
}

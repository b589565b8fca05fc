/** Deeper nesting than any answer of the two APIs; deeper input is refused, not recursed into. */
const MAX_DEPTH = 512;

const ESCAPES: Record<number, string> = {
  34: '"',
  92: "\\",
  47: "/",
  98: "\b",
  102: "\f",
  110: "\n",
  114: "\r",
  116: "\t",
};

/**
 * Parses JSON as `JSON.parse` does, except that an object with the same key
 * twice is refused: `{"scan_all_result_i":1,"scan_all_result_i":0}` is a
 * `SyntaxError`, never `0`. A server (or something between) that repeats a
 * key means two readers may see two different answers, and a verdict must
 * not depend on which one a parser keeps.
 *
 * Every Cluster answer is read through here, so the common case is made
 * cheap: `JSON.parse` reads the text, and the members of the objects it
 * built are counted against the members the text spells (every `"...":`
 * outside a string). `JSON.parse` keeps one member per repeated key, so the
 * counts differ exactly when a key is repeated; then (and for invalid or too
 * deeply nested text) the exact parser below reads the text again and
 * reports where.
 *
 * @throws {SyntaxError} on invalid JSON, a duplicate key or nesting deeper than 512.
 */
export function parseStrictJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return parseExactly(text);
  }
  const members = membersOf(value, 0);
  return members === membersSpelled(text) ? value : parseExactly(text);
}

/**
 * Members of every object in a parsed value; `NaN` when containers nest
 * deeper than {@link MAX_DEPTH} (the exact parser then refuses the text).
 */
function membersOf(value: unknown, depth: number): number {
  if (typeof value !== "object" || value === null) return 0;
  if (depth >= MAX_DEPTH) return Number.NaN;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) count += membersOf(item, depth + 1);
    return count;
  }
  const keys = Object.keys(value);
  count += keys.length;
  for (const key of keys) count += membersOf((value as Record<string, unknown>)[key], depth + 1);
  return count;
}

/**
 * Members spelled in a text that `JSON.parse` accepted: strings followed by
 * a `:`. Strings are skipped from quote to unescaped quote; in valid JSON
 * nothing else contains a quote or a colon.
 */
function membersSpelled(text: string): number {
  let count = 0;
  for (let start = text.indexOf('"'); start !== -1; ) {
    let end = text.indexOf('"', start + 1);
    while (end !== -1 && escaped(text, end)) end = text.indexOf('"', end + 1);
    if (end === -1) return Number.NaN;
    let next = end + 1;
    for (let c = text.charCodeAt(next); c === 32 || c === 10 || c === 13 || c === 9; ) {
      c = text.charCodeAt(++next);
    }
    if (text.charCodeAt(next) === 58) count++;
    start = text.indexOf('"', next);
  }
  return count;
}

/** Whether the character at `at` follows an odd number of backslashes. */
function escaped(text: string, at: number): boolean {
  let backslashes = 0;
  while (text.charCodeAt(at - 1 - backslashes) === 92) backslashes++;
  return backslashes % 2 === 1;
}

/** The exact, one-pass strict parser: slower, but it says where a text is wrong. */
function parseExactly(text: string): unknown {
  const n = text.length;
  let i = 0;

  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${i}`);
  };
  const space = () => {
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return;
    }
  };
  const digits = () => {
    const start = i;
    while (i < n && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    if (i === start) fail("expected a digit");
  };

  function string(): string {
    const start = ++i;
    // Most strings have no escapes: one slice.
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 34) return text.slice(start, i++);
      if (c === 92 || c < 32) break;
    }
    let out = text.slice(start, i);
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return out;
      }
      if (c < 32) fail("control character in a string");
      if (c !== 92) {
        const from = i;
        while (i < n) {
          const d = text.charCodeAt(i);
          if (d === 34 || d === 92 || d < 32) break;
          i++;
        }
        out += text.slice(from, i);
        continue;
      }
      const e = text.charCodeAt(i + 1);
      if (e === 117) {
        const hex = text.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("bad \\u escape");
        out += String.fromCharCode(Number.parseInt(hex, 16));
        i += 6;
      } else {
        const escaped = ESCAPES[e];
        if (escaped === undefined) fail("bad escape");
        out += escaped;
        i += 2;
      }
    }
    return fail("unterminated string");
  }

  function number(): number {
    const start = i;
    if (text.charCodeAt(i) === 45) i++;
    if (text.charCodeAt(i) === 48) i++;
    else digits();
    if (text.charCodeAt(i) === 46) {
      i++;
      digits();
    }
    const e = text.charCodeAt(i);
    if (e === 101 || e === 69) {
      i++;
      const sign = text.charCodeAt(i);
      if (sign === 43 || sign === 45) i++;
      digits();
    }
    return Number(text.slice(start, i));
  }

  function literal<T>(word: string, value: T): T {
    if (!text.startsWith(word, i)) fail("unexpected token");
    i += word.length;
    return value;
  }

  function object(depth: number): Record<string, unknown> {
    i++;
    const out: Record<string, unknown> = {};
    space();
    if (text.charCodeAt(i) === 125) {
      i++;
      return out;
    }
    for (;;) {
      space();
      if (text.charCodeAt(i) !== 34) fail("expected a property name");
      const key = string();
      if (Object.hasOwn(out, key)) fail(`duplicate key "${key.slice(0, 64)}"`);
      space();
      if (text.charCodeAt(i) !== 58) fail('expected ":"');
      i++;
      const item = value(depth);
      // As JSON.parse does: "__proto__" is an own property, never the prototype.
      if (key === "__proto__") {
        Object.defineProperty(out, key, {
          value: item,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else out[key] = item;
      space();
      const c = text.charCodeAt(i++);
      if (c === 125) return out;
      if (c !== 44) {
        i--;
        fail('expected "," or "}"');
      }
    }
  }

  function array(depth: number): unknown[] {
    i++;
    const out: unknown[] = [];
    space();
    if (text.charCodeAt(i) === 93) {
      i++;
      return out;
    }
    for (;;) {
      out.push(value(depth));
      space();
      const c = text.charCodeAt(i++);
      if (c === 93) return out;
      if (c !== 44) {
        i--;
        fail('expected "," or "]"');
      }
    }
  }

  function value(depth: number): unknown {
    space();
    const c = text.charCodeAt(i);
    if (c === 123 || c === 91) {
      if (depth >= MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`);
      return c === 123 ? object(depth + 1) : array(depth + 1);
    }
    if (c === 34) return string();
    if (c === 45 || (c >= 48 && c <= 57)) return number();
    if (c === 116) return literal("true", true);
    if (c === 102) return literal("false", false);
    if (c === 110) return literal("null", null);
    return fail(i >= n ? "unexpected end of JSON" : "unexpected token");
  }

  const result = value(0);
  space();
  if (i < n) fail("unexpected text after the JSON value");
  return result;
}

/**
 * Secret redaction. Every error, log line and serialised object that mdkit
 * produces passes through here, so that credentials never leave the process
 * by accident.
 */

import { createSecretMatcher } from "./internal/secret-matcher.js";
import { registeredSecrets, registryVersion } from "./secret-registry.js";

/** What a redacted value is replaced with. */
export const REDACTED = "[REDACTED]";

/**
 * Header names whose values are credentials, lower-case. Tunnelled headers
 * (`X-App-Header-<name>`) are checked by their inner name too.
 */
const SECRET_HEADER_NAMES = new Set([
  "apikey",
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "oms-csrf-token",
  "x-api-key",
  "archivepwd",
]);

/** Field and query-parameter names whose values are credentials, lower-case. */
const SECRET_FIELD_NAMES = new Set([
  "apikey",
  "api_key",
  "access_token",
  "refresh_token",
  "id_token",
  "client_secret",
  "password",
  "session_id",
  "oms-csrf-token",
  "archivepwd",
  "authorization",
  "secret",
]);

const TUNNEL_HEADER_PREFIX = "x-app-header-";

/**
 * Whether a header carries a credential (case-insensitive, tunnelled headers included).
 *
 * @example
 * ```ts
 * isSecretHeader("Authorization"); // true
 * isSecretHeader("apikey"); // true
 * isSecretHeader("Content-Type"); // false
 * ```
 */
export function isSecretHeader(name: string): boolean {
  const lower = name.toLowerCase();
  const inner = lower.startsWith(TUNNEL_HEADER_PREFIX)
    ? lower.slice(TUNNEL_HEADER_PREFIX.length)
    : lower;
  return SECRET_HEADER_NAMES.has(inner);
}

/**
 * Whether a body field or query parameter carries a credential (case-insensitive).
 *
 * @example
 * ```ts
 * isSecretField("client_secret"); // true
 * isSecretField("Password"); // true
 * isSecretField("user"); // false
 * ```
 */
export function isSecretField(name: string): boolean {
  return SECRET_FIELD_NAMES.has(name.toLowerCase());
}

/** Explicitly passed secrets shorter than this (after trimming) are ignored. */
const MIN_EXPLICIT_SECRET_LENGTH = 4;

function explicitSecrets(secrets: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const value of secrets) {
    if (typeof value !== "string") continue;
    const trimmed = value.trim();
    if (trimmed.length >= MIN_EXPLICIT_SECRET_LENGTH) out.add(trimmed);
  }
  return [...out].sort();
}

/**
 * A redacting function for hot loops (a CLI scrubbing every line of a long
 * export): replaces every form of every registered secret (see
 * `registerSecret`) and of `secrets` — raw, trimmed, JSON-escaped (`\"`,
 * `\uXXXX`), `util.inspect`-escaped, percent-encoded (any characters, either
 * hex case), form-encoded (`+` for a space), HTML-escaped, CSV/YAML-quoted,
 * base64 and base64url (also inside a larger encoded text, as in Basic auth)
 * — with `[REDACTED]`. The search for each set of secrets is compiled once
 * and recompiled only when the registry changes; a text holding no secret
 * costs one combined search. Explicit values shorter than 4 characters are
 * ignored: redacting them would shred ordinary text without protecting anything.
 *
 * @example
 * ```ts
 * const scrub = secretRedactor([process.env.MY_TOKEN ?? ""]);
 * for await (const line of lines) out.write(scrub(line));
 * ```
 */
export function secretRedactor(secrets: Iterable<string> = []): (text: string) => string {
  const explicit = explicitSecrets(secrets);
  let version = -1;
  let redact: (text: string) => string = (text) => text;
  return (text) => {
    const current = registryVersion();
    if (current !== version) {
      redact = createSecretMatcher([...registeredSecrets(), ...explicit], REDACTED);
      version = current;
    }
    return redact(text);
  };
}

/** Redactors of recently used explicit secret sets, most recent last. */
const redactors = new Map<string, (text: string) => string>();
const REDACTOR_LIMIT = 32;

function redactorFor(secrets: Iterable<string>): (text: string) => string {
  const explicit = explicitSecrets(secrets);
  const key = explicit.join("\u0000");
  let redactor = redactors.get(key);
  if (redactor) redactors.delete(key);
  else redactor = secretRedactor(explicit);
  redactors.set(key, redactor);
  for (const oldest of redactors.keys()) {
    if (redactors.size <= REDACTOR_LIMIT) break;
    redactors.delete(oldest);
  }
  return redactor;
}

/**
 * Replaces every registered secret and every value of `secrets` in a
 * string, in every encoding a server could echo it in (see
 * {@link secretRedactor}, which is faster for many texts with the same secrets).
 *
 * @example
 * ```ts
 * redactText(`apikey=${apikey}`, [apikey]); // "apikey=[REDACTED]"
 * ```
 */
export function redactText(text: string, secrets: Iterable<string> = []): string {
  return redactorFor(secrets)(text);
}

/**
 * A plain-object copy of headers with credential values redacted.
 *
 * @example
 * ```ts
 * redactHeaders({ apikey: "k-123", accept: "application/json" });
 * // { apikey: "[REDACTED]", accept: "application/json" }
 * ```
 */
export function redactHeaders(
  headers: Headers | Record<string, string> | undefined,
  secrets: Iterable<string> = [],
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  const redact = redactorFor(secrets);
  const entries = headers instanceof Headers ? headers.entries() : Object.entries(headers);
  for (const [name, value] of entries) {
    out[redact(name)] = isSecretHeader(name) ? REDACTED : redact(value);
  }
  return out;
}

/**
 * A URL string with credential query parameters and user info redacted.
 *
 * @example
 * ```ts
 * redactUrl("https://gateway.example/file?apikey=k-123&x=1");
 * // "https://gateway.example/file?apikey=%5BREDACTED%5D&x=1"
 * ```
 */
export function redactUrl(url: string, secrets: Iterable<string> = []): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactText(url, secrets);
  }
  if (parsed.username) parsed.username = REDACTED;
  if (parsed.password) parsed.password = REDACTED;
  for (const key of [...parsed.searchParams.keys()]) {
    if (isSecretField(key)) parsed.searchParams.set(key, REDACTED);
  }
  return redactText(parsed.toString(), secrets);
}

/**
 * A deep copy of a parsed body (or any JSON-like value) with credential
 * fields and every known secret redacted, in values and in keys. Objects
 * with a `toJSON` method are copied as `JSON.stringify` would see them.
 * Cycles and depth beyond 32 levels are cut rather than followed.
 *
 * @example
 * ```ts
 * redactValue({ user: "u", password: "p4ss" }); // { user: "u", password: "[REDACTED]" }
 * ```
 */
export function redactValue(value: unknown, secrets: Iterable<string> = []): unknown {
  const redact = redactorFor(secrets);
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === "string") return redact(v);
    if (v === null || typeof v !== "object") return v;
    if (depth > 32) return "[Truncated]";
    const json = (v as { toJSON?: unknown }).toJSON;
    if (typeof json === "function") return walk(json.call(v), depth + 1);
    if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(v)) {
      out[redact(key)] = isSecretField(key) ? REDACTED : walk(item, depth + 1);
    }
    return out;
  };
  return walk(value, 0);
}

/**
 * Secret redaction. Every error, log line and serialised object that mdkit
 * produces passes through here, so that credentials never leave the process
 * by accident.
 */

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

/** Whether a header carries a credential (case-insensitive, tunnelled headers included). */
export function isSecretHeader(name: string): boolean {
  const lower = name.toLowerCase();
  const inner = lower.startsWith(TUNNEL_HEADER_PREFIX)
    ? lower.slice(TUNNEL_HEADER_PREFIX.length)
    : lower;
  return SECRET_HEADER_NAMES.has(inner);
}

/** Whether a body field or query parameter carries a credential (case-insensitive). */
export function isSecretField(name: string): boolean {
  return SECRET_FIELD_NAMES.has(name.toLowerCase());
}

/**
 * Replaces every occurrence of the given secret values in a string.
 * Values shorter than 4 characters are ignored: redacting them would shred
 * ordinary text without protecting anything.
 */
export function redactText(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  // Longest first, so a secret that contains another is replaced whole.
  const ordered = [...secrets].sort((a, b) => b.length - a.length);
  for (const secret of ordered) {
    if (secret.length < 4) continue;
    out = out.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(REDACTED);
  }
  return out;
}

/** A plain-object copy of headers with credential values redacted. */
export function redactHeaders(
  headers: Headers | Record<string, string> | undefined,
  secrets: Iterable<string> = [],
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  const entries = headers instanceof Headers ? headers.entries() : Object.entries(headers);
  for (const [name, value] of entries) {
    out[name] = isSecretHeader(name) ? REDACTED : redactText(value, secrets);
  }
  return out;
}

/** A URL string with credential query parameters and user info redacted. */
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
 * A deep copy of a parsed body with credential fields and known secret values
 * redacted. Cycles and depth beyond 32 levels are cut rather than followed.
 */
export function redactValue(value: unknown, secrets: Iterable<string> = []): unknown {
  const list = [...secrets];
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === "string") return redactText(v, list);
    if (v === null || typeof v !== "object") return v;
    if (depth > 32) return "[Truncated]";
    if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(v)) {
      out[key] = isSecretField(key) ? REDACTED : walk(item, depth + 1);
    }
    return out;
  };
  return walk(value, 0);
}

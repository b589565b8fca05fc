/**
 * Canary secrets and a leak detector. Each canary holds the characters that
 * change under some encoding (quotes, backslash, space, `~!'()*`, `+`, `/`,
 * `=`, non-ASCII), so that a server echoing it JSON-escaped, percent- or
 * form-encoded or in base64 is caught as surely as one echoing it raw.
 */
export const CANARIES = {
  /** A gateway or Core API key. */
  apikey: "canary-apikey-5f1c9e0d7b2a",
  /** A gateway password: JSON-escaped when echoed by `/login`. */
  password: 'canary-pass "q\\uote" ~!\'()*+/= é',
  /** An OAuth client secret: form-encoded when echoed by the token endpoint. */
  clientSecret: "canary client~!'()*secret+/=",
  /** A bearer token a hostile token endpoint hands out. */
  accessToken: "canary-token-a9f3e2c1b0d4e5f6",
  /** A session id a hostile `/login` hands out. */
  sessionId: "canary-session-3c2b1a0f9e8d",
} as const;

/** One way a secret may be written into text a server sends back. */
export interface SecretEncoding {
  name: string;
  encode(secret: string): string[];
}

import { inspect } from "node:util";

const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/**
 * The middle of the base64 of `secret` when it starts at any offset inside a
 * larger text (`user:secret` in Basic auth, say): the characters that do not
 * depend on what surrounds it.
 */
function base64Cores(secret: string): string[] {
  const out: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const prefixLength = Buffer.byteLength("x".repeat(offset));
    const encoded = base64(`${"x".repeat(offset)}${secret}`);
    const start = Math.ceil((prefixLength * 4) / 3) + 1;
    const end = Math.floor(((prefixLength + Buffer.byteLength(secret)) * 4) / 3) - 1;
    const core = encoded.slice(start, end);
    if (core.length >= 8) out.push(core);
  }
  return out;
}

/** Every encoding the leak detector looks for. */
export const SECRET_ENCODINGS: readonly SecretEncoding[] = [
  { name: "raw", encode: (s) => [s] },
  { name: "trimmed", encode: (s) => [s.trim()] },
  { name: "json-escaped", encode: (s) => [JSON.stringify(s).slice(1, -1)] },
  { name: "json-escaped-ascii", encode: (s) => [jsonAscii(s)] },
  { name: "inspect-escaped", encode: (s) => [inspect(s).slice(1, -1)] },
  { name: "percent-encoded", encode: (s) => [encodeURIComponent(s), encodeURI(s)] },
  {
    name: "form-encoded",
    encode: (s) => [new URLSearchParams({ v: s }).toString().slice(2)],
  },
  { name: "base64", encode: (s) => [base64(s), ...base64Cores(s)] },
  {
    name: "base64url",
    encode: (s) => [Buffer.from(s, "utf8").toString("base64url")],
  },
];

function jsonAscii(s: string): string {
  return JSON.stringify(s)
    .slice(1, -1)
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A secret found in some output. */
export interface Leak {
  /** Which canary (its key, or the secret's first characters). */
  secret: string;
  /** The encoding it was found in. */
  encoding: string;
  /** Where: the label given with the text. */
  where: string;
}

/**
 * Looks for every secret, in every encoding, in every labelled text
 * (messages, stacks, inspected forms, stdout, stderr, files). Forms shorter
 * than 6 characters are not searched (they would match ordinary text).
 */
export function findLeaks(
  texts: Record<string, string>,
  secrets: Record<string, string> = CANARIES,
): Leak[] {
  const leaks: Leak[] = [];
  for (const [where, text] of Object.entries(texts)) {
    for (const [name, secret] of Object.entries(secrets)) {
      for (const encoding of SECRET_ENCODINGS) {
        const forms = new Set(encoding.encode(secret).filter((form) => form.length >= 6));
        if ([...forms].some((form) => text.includes(form))) {
          leaks.push({ secret: name, encoding: encoding.name, where });
          break;
        }
      }
    }
  }
  return leaks;
}

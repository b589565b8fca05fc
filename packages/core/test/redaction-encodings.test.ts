import { inspect } from "node:util";
import { CANARIES, findLeaks, SECRET_ENCODINGS } from "@mdkit/testing/hostile";
import { describe, expect, it } from "vitest";
import { REDACTED, redactText, registerSecret, secretRedactor } from "../src/index.js";

const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const base64url = (text: string) => Buffer.from(text, "utf8").toString("base64url");
/** RFC 3986 strict percent-encoding (also `!'()*`), lower-case hex, as some servers write it. */
const strictLower = (text: string) =>
  encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)
    .replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase());
const htmlEscaped = (text: string) =>
  text
    .replaceAll("&", "&amp;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;")
    .replaceAll("<", "&lt;");
const jsonAsciiLower = (text: string) =>
  JSON.stringify(text)
    .slice(1, -1)
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
const jsonSlashes = (text: string) => JSON.stringify(text).slice(1, -1).replaceAll("/", "\\/");

const cases = Object.entries(CANARIES).flatMap(([name, secret]) =>
  SECRET_ENCODINGS.flatMap((encoding) =>
    encoding.encode(secret).map((form) => [name, encoding.name, secret, form] as const),
  ),
);

describe("redaction in every encoding a server could echo", () => {
  it.each(cases)(
    "%s written %s is redacted, the text around it kept",
    (_name, _encoding, secret, form) => {
      const out = redactText(`before ${form} after`, [secret]);
      expect(findLeaks({ out })).toEqual([]);
      expect(out.startsWith("before ")).toBe(true);
      expect(out.endsWith(" after")).toBe(true);
      expect(out).toContain(REDACTED);
    },
  );

  it.each([
    ["percent-encoded strictly, lower-case hex", strictLower],
    ["HTML-escaped", htmlEscaped],
    ["JSON-escaped with \\uXXXX in lower case", jsonAsciiLower],
    ["JSON-escaped with escaped slashes", jsonSlashes],
    [
      "JSON-escaped twice (an echo printed as JSON again)",
      (s: string) => JSON.stringify(JSON.stringify(s)).slice(3, -3),
    ],
    ["as a CSV field", (s: string) => s.replaceAll('"', '""')],
    ["as a YAML single-quoted scalar", (s: string) => s.replaceAll("'", "''")],
    ["by util.inspect", (s: string) => inspect(s).slice(1, -1)],
    ["form-encoded", (s: string) => new URLSearchParams({ v: s }).toString().slice(2)],
  ])(
    "a secret with quotes, backslash, spaces and non-ASCII written %s is replaced whole",
    (_how, encode) => {
      for (const secret of [CANARIES.password, CANARIES.clientSecret]) {
        expect(redactText(`before ${encode(secret)} after`, [secret])).toBe(
          `before ${REDACTED} after`,
        );
      }
    },
  );

  it("finds a secret inside base64 at any offset (Basic auth) and in base64url", () => {
    const { password } = CANARIES;
    for (const user of ["a", "ab", "abc", "admin"]) {
      for (const encoded of [base64(`${user}:${password}`), base64url(`${user}:${password}:x`)]) {
        const out = redactText(`Authorization: Basic ${encoded}`, [password]);
        expect(findLeaks({ out }, { password })).toEqual([]);
        expect(out).toMatch(/^Authorization: Basic \S*\[REDACTED\]/);
      }
    }
    // base64 percent-encoded in a query string, as `+/=` would be.
    const inQuery = encodeURIComponent(base64(`user:${password}`));
    expect(findLeaks({ out: redactText(`?auth=${inQuery}`, [password]) }, { password })).toEqual(
      [],
    );
  });

  it("stays linear on a text built to make the search backtrack (a run of backslashes)", () => {
    // Quadratic matching would take hours on this text; bounded escapes take milliseconds.
    const secret = '"leading-quote-secret';
    const run = "\\".repeat(300_000);
    expect(redactText(`${run}leading-quote`, [secret])).toBe(`${run}leading-quote`);
    expect(redactText(`${run}"leading-quote-secret`, [secret]).endsWith(REDACTED)).toBe(true);
  });

  it("keeps JSON valid: an escaped secret is replaced with its escapes", () => {
    const { password } = CANARIES;
    const line = JSON.stringify({ user: "u", echo: `bad password ${password}` });
    expect(JSON.parse(redactText(line, [password]))).toEqual({
      user: "u",
      echo: `bad password ${REDACTED}`,
    });
  });

  it("matches an untrimmed secret by its trimmed value", () => {
    expect(redactText("key=abc123def456;", ["abc123def456\n"])).toBe(`key=${REDACTED};`);
  });

  it("leaves text without secrets alone", () => {
    const secrets = Object.values(CANARIES);
    for (const text of [
      JSON.stringify({ id: 1, name: "Threat.Win32.Generic", sha256: "e3b0c442".repeat(8) }),
      "HTTP 403 Forbidden: [REDACTED]",
      "canary-apikey (not the whole key) and a password",
      "",
    ]) {
      expect(redactText(text, secrets)).toBe(text);
    }
  });

  it("ignores explicit values shorter than 4 characters", () => {
    expect(redactText("a b abc abcd", ["a", "abc", "abcd"])).toBe(`a b abc ${REDACTED}`);
  });

  it("a redactor follows secrets registered after it was made", () => {
    const scrub = secretRedactor(["explicit-secret-1"]);
    const later = `later-secret-${Date.now()}`;
    expect(scrub(`explicit-secret-1 ${later}`)).toBe(`${REDACTED} ${later}`);
    registerSecret(later);
    expect(scrub(`explicit-secret-1 ${later}`)).toBe(`${REDACTED} ${REDACTED}`);
    expect(findLeaks({ out: scrub(base64(later)) }, { later })).toEqual([]);
  });
});

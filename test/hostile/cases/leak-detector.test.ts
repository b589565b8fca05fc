/** The leak detector itself: a suite that cannot see a leak proves nothing. */
import { CANARIES, findLeaks, renderingsOf } from "@mdkit/testing/hostile";
import { describe, expect, it } from "vitest";

const { password } = CANARIES;

describe("the leak detector", () => {
  it.each([
    ["raw", password],
    ["json-escaped", JSON.stringify({ password }).slice(1, -1)],
    ["percent-encoded", `password=${encodeURIComponent(password)}`],
    ["form-encoded", new URLSearchParams({ client_secret: password }).toString()],
    ["base64", Buffer.from(`admin:${password}`).toString("base64")],
    ["base64 at another offset", Buffer.from(`ad:${password}!`).toString("base64")],
  ])("finds a secret written %s", (_encoding, text) => {
    expect(findLeaks({ out: `prefix ${text} suffix` }, { password })).toHaveLength(1);
  });

  it("finds a secret with surrounding whitespace by its trimmed value", () => {
    expect(findLeaks({ out: "key=abc123def456" }, { key: "abc123def456\n" })).toHaveLength(1);
  });

  it("finds what only a cause or a hidden property shows", () => {
    const error = new Error("outer", { cause: new Error(`inner ${password}`) });
    const hidden = new Error("plain");
    Object.defineProperty(hidden, "response", { value: { token: password }, enumerable: false });
    expect(findLeaks(renderingsOf(error), { password })).not.toHaveLength(0);
    expect(findLeaks(renderingsOf(hidden), { password })).not.toHaveLength(0);
  });

  it("stays quiet about text without secrets", () => {
    expect(findLeaks({ out: "HTTP 403 Forbidden: [REDACTED]" })).toEqual([]);
  });
});

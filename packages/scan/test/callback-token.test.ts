// Callback tokens: 256 random bits each, base64url, never repeating across
// the refills of the source's random pool.
import { describe, expect, it } from "vitest";
import { TOKEN_PATTERN, TokenSource } from "../src/internal/callback-token.js";

describe("TokenSource", () => {
  it("draws distinct 43-character base64url tokens of 32 bytes each, across pool refills", () => {
    const source = new TokenSource();
    const tokens = Array.from({ length: 1_000 }, () => source.next());
    expect(new Set(tokens).size).toBe(1_000);
    for (const token of tokens) {
      expect(token).toMatch(TOKEN_PATTERN);
      const bytes = Buffer.from(token, "base64url");
      expect(bytes).toHaveLength(32);
      expect(bytes.toString("base64url")).toBe(token);
    }
  });

  it("carries random bits in every position: each bit is set in about half of the tokens", () => {
    const source = new TokenSource();
    const count = 1_000;
    const set = new Array<number>(256).fill(0);
    for (let t = 0; t < count; t++) {
      const bytes = Buffer.from(source.next(), "base64url");
      for (let bit = 0; bit < 256; bit++) {
        if (((bytes[bit >> 3] ?? 0) >> (bit & 7)) & 1) set[bit] = (set[bit] ?? 0) + 1;
      }
    }
    // Binomial(1000, 0.5): 100 away from 500 is over 6 standard deviations.
    for (const times of set) expect(Math.abs(times - count / 2)).toBeLessThan(100);
  });
});

import { deriveSeed, type Random, randomFor } from "../../internal/random.js";

/** A 24-hex id shaped like a MongoDB ObjectId (seconds of `timestampMs`, then random). */
export function objectId(r: Random, timestampMs: number): string {
  return secondsHex(timestampMs) + r.hex(16);
}

/** A random version-4 UUID drawn from `r`. */
export function uuid(r: Random): string {
  const h = r.hex(32);
  const variant = ((Number.parseInt(h.charAt(16), 16) & 3) | 8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`;
}

/**
 * A 24-hex ObjectId-like id that encodes a record index (8 hex of seconds,
 * 4 of a check, 12 of the index masked with hex derived from the seed and
 * `tag`), so a lookup by id needs no table: decode with {@link indexOfId},
 * then compare with the regenerated record's id.
 */
export function indexedId(seed: number, tag: string, index: number, timestampMs: number): string {
  const check = (deriveSeed(seed, tag, index) & 0xffff).toString(16).padStart(4, "0");
  return (
    secondsHex(timestampMs) + check + xorHex(index.toString(16).padStart(12, "0"), mask(seed, tag))
  );
}

/** The index an {@link indexedId} of this `tag` encodes, or undefined when `id` cannot be one. */
export function indexOfId(seed: number, tag: string, id: string): number | undefined {
  if (!/^[0-9a-f]{24}$/.test(id)) return undefined;
  return Number.parseInt(xorHex(id.slice(12), mask(seed, tag)), 16);
}

function mask(seed: number, tag: string): string {
  return randomFor(seed, tag, "mask").hex(12);
}

function xorHex(a: string, b: string): string {
  let out = "";
  for (let k = 0; k < a.length; k++) {
    out += (Number.parseInt(a.charAt(k), 16) ^ Number.parseInt(b.charAt(k), 16)).toString(16);
  }
  return out;
}

function secondsHex(timestampMs: number): string {
  return Math.floor(timestampMs / 1000)
    .toString(16)
    .padStart(8, "0")
    .slice(-8);
}

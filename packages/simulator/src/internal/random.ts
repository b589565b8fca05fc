/**
 * Deterministic randomness. Everything the simulator invents (ids, report
 * records, fault draws) comes from here, so a seed reproduces a run.
 */

/** A seeded pseudo-random generator (mulberry32). */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** `length` lowercase hex characters. */
  hex(length: number): string;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator seeded with `seed`. */
export function createRandom(seed: number): Random {
  const next = mulberry32(seed);
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    pick: (items) => {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[int(items.length)] as (typeof items)[number];
    },
    hex: (length) => {
      let out = "";
      while (out.length < length) out += int(0x10000).toString(16).padStart(4, "0");
      return out.slice(0, length);
    },
  };
}

/**
 * A seed derived from a base seed and any number of parts (FNV-1a), so that
 * lazily generated record `i` of report kind `k` is the same every time
 * without generating records `0..i-1` first.
 */
export function deriveSeed(seed: number, ...parts: Array<string | number>): number {
  let h = 0x811c9dc5 ^ seed;
  for (const part of parts) {
    const text = String(part);
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0xff;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A generator for one lazily generated item: `randomFor(seed, "pmp", 42)`. */
export function randomFor(seed: number, ...parts: Array<string | number>): Random {
  return createRandom(deriveSeed(seed, ...parts));
}

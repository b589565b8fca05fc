/**
 * Finds fixed byte strings in a stream without holding it: each chunk is
 * searched in place, and the few bytes around a chunk boundary are searched
 * separately, so a pattern split across two chunks is still found.
 */

/** Byte strings to search for, prepared once. */
export class SearchPatterns {
  /** The patterns, in the order given. */
  readonly list: readonly Buffer[];
  /** Bytes kept from the end of a chunk to find a pattern split across two. */
  readonly keep: number;

  /** Prepares byte strings to search for (once: every search shares them). */
  constructor(patterns: readonly Uint8Array[]) {
    this.list = patterns.map((p) => Buffer.from(p));
    this.keep = Math.max(0, ...this.list.map((p) => p.length - 1));
  }
}

const EMPTY = Buffer.alloc(0);

/** A search of one stream for some {@link SearchPatterns}. */
export class PatternSearch {
  private readonly patterns: readonly Buffer[];
  private readonly found: boolean[];
  private readonly keep: number;
  private tail: Buffer = EMPTY;

  constructor(patterns: SearchPatterns) {
    this.patterns = patterns.list;
    this.found = this.patterns.map((p) => p.length === 0);
    this.keep = patterns.keep;
  }

  /** Searches the next chunk. */
  push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let i = 0; i < this.patterns.length; i++) {
      if (this.found[i]) continue;
      const pattern = this.patterns[i] as Buffer;
      if (this.tail.length > 0 && pattern.length > 1) {
        const joint = Buffer.concat([
          this.tail.subarray(Math.max(0, this.tail.length - (pattern.length - 1))),
          buf.subarray(0, pattern.length - 1),
        ]);
        if (joint.indexOf(pattern) >= 0) this.found[i] = true;
      }
      if (!this.found[i] && buf.indexOf(pattern) >= 0) this.found[i] = true;
    }
    // Copy the tail so a large chunk is not retained by it.
    if (this.keep === 0) return;
    this.tail =
      buf.length >= this.keep
        ? Buffer.from(buf.subarray(buf.length - this.keep))
        : Buffer.concat([this.tail, buf]).subarray(-this.keep);
  }

  /** Whether pattern `index` (as given to the constructor) was seen. */
  has(index: number): boolean {
    return this.found[index] === true;
  }
}

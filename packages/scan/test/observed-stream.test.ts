import { describe, expect, it } from "vitest";
import { observedByteStream } from "../src/internal/observed-stream.js";

const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => i % 251);

describe("observedByteStream", () => {
  it("passes every byte through, reports each chunk, and reads into the reader's own buffer", async () => {
    const content = bytes(200_000);
    const seen: number[] = [];
    const stream = observedByteStream(new Blob([content]).stream(), (chunk) =>
      seen.push(chunk.byteLength),
    );
    if (!stream) throw new Error("a Blob's stream is a byte stream");
    const reader = stream.getReader({ mode: "byob" });
    const out: number[] = [];
    let buffer = new ArrayBuffer(50_000);
    let reads = 0;
    for (;;) {
      const { value, done } = await reader.read(new Uint8Array(buffer));
      if (done) break;
      reads++;
      // The same memory comes back each time (transferred, never copied into a new buffer).
      expect(value.byteLength).toBeLessThanOrEqual(50_000);
      out.push(...value);
      buffer = value.buffer as ArrayBuffer;
    }
    expect(Uint8Array.from(out)).toEqual(content);
    expect(seen.reduce((a, b) => a + b, 0)).toBe(content.byteLength);
    expect(reads).toBe(seen.length);
  });

  it("serves plain readers too, and leaves non-byte streams alone", async () => {
    const stream = observedByteStream(new Blob([bytes(1000)]).stream(), () => {});
    const text = await new Response(stream).arrayBuffer();
    expect(new Uint8Array(text)).toEqual(bytes(1000));
    const plain = new ReadableStream<Uint8Array>({ start: (c) => c.close() });
    expect(observedByteStream(plain, () => {})).toBeUndefined();
  });
});

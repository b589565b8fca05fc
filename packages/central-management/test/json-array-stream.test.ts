import { describe, expect, it } from "vitest";
import { parseJsonArrayStream } from "../src/index.js";

/** A stream delivering `text` in chunks of `size` bytes (splitting inside strings, escapes and UTF-8). */
function chunked(text: string, size: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  });
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe("parseJsonArrayStream", () => {
  const records = [
    { id: "a", name: 'quote " and \\ backslash', nested: { list: [1, [2, 3], { x: "]" }] } },
    { id: "b", name: "comma, bracket ] brace } résumé ✓ 😀", empty: {} },
    42,
    "plain string, with comma",
    null,
    true,
    [],
  ];
  const text = ` \n${JSON.stringify(records, null, 2)}\n`;

  it.each([1, 2, 3, 7, 64, 100_000])(
    "yields every element whatever the chunk size (%i bytes)",
    async (size) => {
      expect(await collect(parseJsonArrayStream(chunked(text, size)))).toEqual(records);
    },
  );

  it("handles an empty array", async () => {
    expect(await collect(parseJsonArrayStream(chunked("[ ]", 1)))).toEqual([]);
  });

  it("rejects a truncated array and a non-array body", async () => {
    await expect(collect(parseJsonArrayStream(chunked('[{"a":1},{"b":', 4)))).rejects.toThrow(
      SyntaxError,
    );
    await expect(collect(parseJsonArrayStream(chunked('{"a":1}', 4)))).rejects.toThrow(
      /expected a JSON array/,
    );
  });

  it("stops reading when the consumer stops", async () => {
    let pulls = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        controller.enqueue(new TextEncoder().encode(pulls === 1 ? '[{"n":0}' : `,{"n":${pulls}}`));
      },
    });
    const seen: unknown[] = [];
    for await (const item of parseJsonArrayStream(endless)) {
      seen.push(item);
      if (seen.length === 3) break;
    }
    expect(seen).toHaveLength(3);
    expect(pulls).toBeLessThan(10);
  });
});

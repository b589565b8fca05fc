/**
 * Parses a JSON array arriving as a byte stream and yields its elements one
 * by one, holding only the element being read: a report of a million records
 * is read in constant memory. Elements are parsed with `JSON.parse`, so each
 * must be valid JSON on its own.
 *
 * @example
 * ```ts
 * const body = new Blob(['[{"id":1},{"id":2}]']).stream();
 * for await (const record of parseJsonArrayStream<{ id: number }>(body)) {
 *   console.log(record.id); // 1, then 2
 * }
 * ```
 */
export async function* parseJsonArrayStream<T>(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<T> {
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  let buffer = "";
  let started = false;
  let finished = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let elementStart = -1;
  let pos = 0; // where scanning resumes in `buffer`
  try {
    for (;;) {
      const { value, done } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      const elements: T[] = [];
      let i = pos;
      for (; i < buffer.length && !finished; i++) {
        const ch = buffer[i] as string;
        if (!started) {
          if (ch === "[") started = true;
          else if (!/\s/.test(ch)) throw new SyntaxError(`expected a JSON array, found "${ch}"`);
          continue;
        }
        if (inString) {
          if (escaped) escaped = false;
          else if (ch === "\\") escaped = true;
          else if (ch === '"') inString = false;
          continue;
        }
        if (ch === '"') {
          inString = true;
          if (elementStart < 0) elementStart = i;
        } else if (ch === "{" || ch === "[") {
          if (elementStart < 0) elementStart = i;
          depth++;
        } else if (ch === "}" || ch === "]") {
          if (depth === 0) {
            if (ch === "]") {
              if (elementStart >= 0) elements.push(JSON.parse(buffer.slice(elementStart, i)) as T);
              elementStart = -1;
              finished = true;
            } else throw new SyntaxError("unbalanced } in JSON array");
          } else depth--;
        } else if (ch === "," && depth === 0) {
          if (elementStart < 0) throw new SyntaxError("empty element in JSON array");
          elements.push(JSON.parse(buffer.slice(elementStart, i)) as T);
          elementStart = -1;
        } else if (elementStart < 0 && !/\s/.test(ch)) {
          elementStart = i;
        }
      }
      // Keep only the unfinished element (or nothing) for the next chunk.
      if (elementStart >= 0) {
        buffer = buffer.slice(elementStart);
        pos = i - elementStart;
        elementStart = 0;
      } else {
        buffer = buffer.slice(i);
        pos = 0;
      }
      yield* elements;
      if (finished) return;
      if (done)
        throw new SyntaxError(
          started ? "the JSON array ended early" : "no JSON array in the response",
        );
    }
  } finally {
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

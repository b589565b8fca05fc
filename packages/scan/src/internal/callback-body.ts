/** Why a callback body was not read. */
export type BodyRefusal = "too-large" | "too-slow";

/**
 * Reads a request body of at most `maxBytes`, within `timeoutMs`: memory is
 * bounded whatever the sender does (no length, a wrong length, a trickle).
 * The stream is cancelled when the limit or the time is passed.
 */
export async function readBoundedBody(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  timeoutMs: number,
): Promise<Uint8Array | BodyRefusal> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<"too-slow">((resolve) => {
    timer = setTimeout(() => resolve("too-slow"), timeoutMs);
  });
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), timedOut]);
      if (next === "too-slow") return next;
      if (next.done) break;
      size += next.value.byteLength;
      if (size > maxBytes) return "too-large";
      chunks.push(next.value);
    }
  } finally {
    clearTimeout(timer);
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

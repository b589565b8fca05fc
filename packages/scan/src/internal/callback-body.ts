/** Why a callback body was not read. */
export type BodyRefusal = "too-large" | "too-slow";

/**
 * The chunks of a body being received, up to `maxBytes`: `add` says when
 * the limit is passed (whatever length the sender declared), `bytes` joins
 * them (the one chunk as is when there is one).
 */
export class BoundedChunks {
  readonly #maxBytes: number;
  readonly #chunks: Uint8Array[] = [];
  #size = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** Keeps `chunk`; `false` (and the chunk dropped) once the body is larger than the limit. */
  add(chunk: Uint8Array): boolean {
    this.#size += chunk.byteLength;
    if (this.#size > this.#maxBytes) return false;
    this.#chunks.push(chunk);
    return true;
  }

  /** The body received so far, as one array. */
  bytes(): Uint8Array {
    const chunks = this.#chunks;
    if (chunks.length === 1) return chunks[0] as Uint8Array;
    const bytes = new Uint8Array(this.#size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return bytes;
  }
}

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
  const received = new BoundedChunks(maxBytes);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<"too-slow">((resolve) => {
    timer = setTimeout(() => resolve("too-slow"), timeoutMs);
  });
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), timedOut]);
      if (next === "too-slow") return next;
      if (next.done) return received.bytes();
      if (!received.add(next.value)) return "too-large";
    }
  } finally {
    clearTimeout(timer);
    reader.cancel().catch(() => {});
  }
}

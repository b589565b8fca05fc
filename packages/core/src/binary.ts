/**
 * Binary request bodies: what counts as one, whether it can be sent twice,
 * and how to hand it to `fetch` without copying.
 */

/** Any binary body an mdkit client accepts. Nothing is buffered on the way through. */
export type BinaryBody =
  | Blob
  | ArrayBuffer
  | ArrayBufferView
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>;

/**
 * Whether `value` is one of the {@link BinaryBody} forms.
 *
 * @example
 * ```ts
 * isBinaryBody(new Blob(["x"])); // true
 * isBinaryBody(new Uint8Array(3)); // true
 * isBinaryBody("text"); // false: strings are sent as text, not as a binary upload
 * ```
 */
export function isBinaryBody(value: unknown): value is BinaryBody {
  if (value === null || typeof value !== "object") return false;
  return (
    value instanceof Blob ||
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value) ||
    value instanceof ReadableStream ||
    Symbol.asyncIterator in value
  );
}

/**
 * Whether a body can be sent more than once. Streams and async iterables
 * are consumed by the first attempt; everything else can be replayed.
 *
 * @example
 * ```ts
 * isReplayableBody(new Uint8Array(3)); // true: a retry can send it again
 * isReplayableBody(new Blob(["x"])); // true
 * isReplayableBody(new ReadableStream()); // false: consumed by the first attempt
 * ```
 */
export function isReplayableBody(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value !== "object") return true;
  return !(value instanceof ReadableStream || Symbol.asyncIterator in value);
}

/**
 * The exact length of a body in bytes when it is known without reading it,
 * otherwise `undefined` (streams).
 *
 * @example
 * ```ts
 * knownByteLength(new Uint8Array(5)); // 5
 * knownByteLength(new Blob(["abc"])); // 3
 * knownByteLength(new ReadableStream()); // undefined: only known once read
 * ```
 */
export function knownByteLength(value: unknown): number | undefined {
  if (value instanceof Blob) return value.size;
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return value.byteLength;
  if (typeof value === "string") return new TextEncoder().encode(value).byteLength;
  return undefined;
}

/**
 * Adapts an async iterable of chunks to a `ReadableStream` that pulls one
 * chunk at a time, so back-pressure reaches the source. Cancelling the
 * stream returns the iterator.
 *
 * @example
 * ```ts
 * async function* chunks() {
 *   yield new TextEncoder().encode("hello ");
 *   yield new TextEncoder().encode("world");
 * }
 * await new Response(toReadableStream(chunks())).text(); // "hello world"
 * ```
 */
export function toReadableStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { value, done } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      async cancel(reason) {
        await iterator.return?.(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * Converts a {@link BinaryBody} to something `fetch` accepts as `body`, without copying.
 * (The return type is the DOM's `BodyInit`, spelled through `RequestInit` so that it
 * also exists under @types/node without the DOM library.)
 *
 * @example
 * ```ts
 * const request = new Request("https://gateway.example/file", {
 *   method: "POST",
 *   body: toFetchBody(new Uint8Array([1, 2, 3])),
 * });
 * (await request.arrayBuffer()).byteLength; // 3
 * ```
 */
export function toFetchBody(value: BinaryBody): NonNullable<RequestInit["body"]> {
  if (value instanceof Blob || value instanceof ReadableStream) return value;
  if (value instanceof ArrayBuffer) return value;
  if (ArrayBuffer.isView(value)) return value as unknown as BodyInit;
  return toReadableStream(value);
}

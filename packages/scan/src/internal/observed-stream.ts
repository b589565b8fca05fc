/**
 * A byte stream that passes another byte stream's bytes through unchanged,
 * calling `onChunk` with each chunk as it goes. Reads are BYOB all the way
 * down: a reader that brings its own buffer (the Node transport does) gets
 * the file read straight into it, so observing an upload allocates nothing
 * per chunk. (A `TransformStream` would turn the byte stream into a plain
 * one, and every 64 KiB chunk of a 1 GiB upload would be a new buffer.)
 * Returns `undefined` when `source` is not a byte stream.
 */
export function observedByteStream(
  source: ReadableStream<Uint8Array>,
  onChunk: (chunk: Uint8Array) => void,
  chunkBytes = 64 * 1024,
): ReadableStream<Uint8Array> | undefined {
  let reader: ReadableStreamBYOBReader;
  try {
    reader = source.getReader({ mode: "byob" });
  } catch {
    return undefined;
  }
  return new ReadableStream({
    type: "bytes",
    autoAllocateChunkSize: chunkBytes,
    async pull(controller) {
      const request = controller.byobRequest;
      const view = request?.view;
      if (!request || !view) return;
      const target = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
      const { value, done } = await reader.read(target);
      if (done) {
        controller.close();
        // The buffer came back to us (transferred): hand it back empty.
        if (value) request.respondWithNewView(value);
        return;
      }
      onChunk(value);
      request.respondWithNewView(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

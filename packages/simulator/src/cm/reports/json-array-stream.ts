/** Bytes gathered into one chunk before it is handed to the reader. */
const CHUNK_BYTES = 16 * 1024;

/**
 * A JSON array written record by record as the reader pulls: each pull
 * serialises records until a chunk of about 16 KiB is ready, so a slow
 * reader stops the generator (back-pressure) and the whole array never
 * exists in memory. `onRecord` counts what was written.
 */
export function jsonArrayStream(
  records: Iterator<unknown>,
  onRecord: () => void = () => {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let started = false;
  let empty = true;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      let text = "";
      if (!started) {
        text = "[";
        started = true;
      }
      while (text.length < CHUNK_BYTES) {
        const next = records.next();
        if (next.done) {
          controller.enqueue(encoder.encode(`${text}]`));
          controller.close();
          return;
        }
        text += (empty ? "" : ",") + JSON.stringify(next.value);
        empty = false;
        onRecord();
      }
      controller.enqueue(encoder.encode(text));
    },
    cancel() {
      records.return?.();
    },
  });
}

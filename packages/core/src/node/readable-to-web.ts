import type { Readable } from "node:stream";

/**
 * A web `ReadableStream` reading a Node stream on demand. Unlike
 * `Readable.toWeb` (which, on Node 20, can throw an uncaught "Controller is
 * already closed" when a consumer cancels while data is flowing), it only
 * reads when asked, ends or fails exactly once, and destroys the Node
 * stream — closing its connection — when cancelled. A stream that closes
 * before its end fails the web stream instead of leaving it pending.
 */
export function readableToWeb(readable: Readable): ReadableStream<Uint8Array> {
  let settled = false;
  let wake: (() => void) | undefined;
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  const settle = (finish: () => void) => {
    if (settled) return;
    settled = true;
    finish();
    wake?.();
  };
  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        readable.on("readable", () => wake?.());
        readable.once("end", () => settle(() => c.close()));
        readable.once("error", (error) => settle(() => c.error(error)));
        readable.once("close", () =>
          settle(() =>
            c.error(
              Object.assign(new Error("the stream closed before its end"), {
                code: "ERR_STREAM_PREMATURE_CLOSE",
              }),
            ),
          ),
        );
      },
      pull() {
        return new Promise<void>((resolve) => {
          const next = () => {
            if (settled) {
              wake = undefined;
              return resolve();
            }
            const chunk: Buffer | null = readable.read();
            if (chunk === null) {
              wake = next;
              return;
            }
            wake = undefined;
            controller?.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
            resolve();
          };
          next();
        });
      },
      cancel() {
        settled = true;
        readable.destroy();
      },
    },
    { highWaterMark: 0 },
  );
}

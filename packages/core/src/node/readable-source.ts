import type { Readable } from "node:stream";
import type { ChunkSource } from "../internal/watch-body.js";

/**
 * A Node stream read on demand, one chunk per `read()`, as the source of a
 * watched body: no web stream of its own in between (every chunk of every
 * response passes here). Unlike `Readable.toWeb` (which, on Node 20, can
 * throw an uncaught "Controller is already closed" when a consumer cancels
 * while data is flowing), it only reads when asked, ends or fails exactly
 * once, and destroys the Node stream — closing its connection — when
 * cancelled. A stream that closes before its end fails the read instead of
 * leaving it pending.
 */
export function readableSource(readable: Readable): ChunkSource {
  let settled: { failed: false } | { failed: true; error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const settle = (outcome: NonNullable<typeof settled>) => {
    if (settled) return;
    settled = outcome;
    wake?.();
  };
  readable.on("readable", () => wake?.());
  readable.once("end", () => settle({ failed: false }));
  readable.once("error", (error) => settle({ failed: true, error }));
  // Every stream closes, mostly after its end: the error (and its stack) only when it did not.
  readable.once("close", () => {
    if (settled) return;
    settle({
      failed: true,
      error: Object.assign(new Error("the stream closed before its end"), {
        code: "ERR_STREAM_PREMATURE_CLOSE",
      }),
    });
  });
  return {
    read() {
      return new Promise((resolve, reject) => {
        const next = () => {
          wake = undefined;
          if (settled?.failed) return reject(settled.error);
          if (settled) return resolve({ done: true, value: undefined });
          const chunk: Buffer | null = readable.read();
          if (chunk === null) {
            wake = next;
            return;
          }
          resolve({
            done: false,
            value: new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength),
          });
        };
        next();
      });
    },
    cancel() {
      // A read still waiting ends as done: whoever cancelled knows why.
      settle({ failed: false });
      readable.destroy();
    },
  };
}

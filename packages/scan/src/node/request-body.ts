import type { IncomingMessage } from "node:http";

/**
 * The body of a Node request as a Web stream, pulled chunk by chunk (the
 * socket is paused while nothing is asked). Cancelling it stops reading and
 * leaves the connection to the caller, so that an answer (404, 413) can
 * still be sent before it is closed.
 */
export function nodeRequestBody(request: IncomingMessage): ReadableStream<Uint8Array> {
  let done = false;
  const stop = () => {
    done = true;
    request.removeAllListeners("data");
    request.pause();
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      request.pause();
      request.on("data", (chunk: Buffer) => {
        if (done) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) request.pause();
      });
      request.once("end", () => {
        if (!done) controller.close();
        done = true;
      });
      const fail = (error: Error) => {
        if (!done) controller.error(error);
        done = true;
      };
      request.once("error", fail);
      // The sender went away before the end of its body.
      request.once("close", () => fail(new Error("the callback's connection closed early")));
    },
    pull() {
      if (!done) request.resume();
    },
    cancel() {
      stop();
    },
  });
}

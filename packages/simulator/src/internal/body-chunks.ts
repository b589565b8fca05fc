/**
 * Reads a request body chunk by chunk, as it arrives, from wherever it is.
 * Over HTTP the chunks come straight from Node's request (the adapter's
 * `incoming`): asking the Web `Request` for its body instead would make the
 * adapter build a full `Request`, an abort signal and a web stream over the
 * socket, and copy every chunk once more, which is most of what an upload
 * costs the simulator. In-process (`sim.fetch`, or the tunnel of Central
 * Management) there is only the Web request, and its stream is read.
 */
import type { IncomingMessage } from "node:http";
import type { SimContext } from "../context.js";

/** Takes one chunk; a promise it returns pauses the body until it settles (back-pressure). */
export type ChunkSink = (chunk: Uint8Array) => void | Promise<void>;

/** The Node request under `c`, when served over HTTP. */
function incomingOf(c: SimContext): IncomingMessage | undefined {
  return c.env?.incoming;
}

/** Whether the request has a body (over HTTP, a request other than GET or HEAD always has one). */
export function hasBody(c: SimContext): boolean {
  return incomingOf(c) !== undefined || c.req.raw.body !== null;
}

/**
 * Feeds the body of `c` to `sink` and resolves once it ended. Rejects when
 * the client went away before the end, or with what `sink` threw; the rest
 * of the body is then left unread (see {@link discardBody}).
 */
export function forEachChunk(c: SimContext, sink: ChunkSink): Promise<void> {
  const incoming = incomingOf(c);
  if (incoming) return fromIncoming(incoming, sink);
  return fromStream(c.req.raw.body, sink);
}

/**
 * Gives up on the rest of the body. In-process the Web stream is cancelled;
 * over HTTP the rest is left unread and the adapter drains it once the
 * answer is sent, so the client still receives that answer.
 */
export async function discardBody(c: SimContext): Promise<void> {
  if (incomingOf(c)) return;
  await c.req.raw.body?.cancel().catch(() => {});
}

async function fromStream(body: ReadableStream<Uint8Array> | null, sink: ChunkSink) {
  if (!body) return;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      await sink(value);
    }
  } finally {
    reader.releaseLock();
  }
}

function fromIncoming(incoming: IncomingMessage, sink: ChunkSink): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (incoming.readableEnded) return resolve();
    if (incoming.destroyed) {
      return reject(
        incoming.errored ?? new Error("the request was closed before its body was read"),
      );
    }
    let pending: Promise<void> | undefined;
    let ended = false;
    let failure: { error: unknown } | undefined;
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      incoming.off("error", onError);
      incoming.off("close", onClose);
      if (failure) reject(failure.error);
      else resolve();
    };
    // A chunk still being written when the request fails is finished first,
    // so the caller never cleans up under a write in flight.
    const fail = (error: unknown) => {
      failure ??= { error };
      incoming.pause();
      if (!pending) settle();
    };
    const written = () => {
      pending = undefined;
      if (failure || ended) settle();
      else incoming.resume();
    };
    const onData = (chunk: Buffer) => {
      let result: void | Promise<void>;
      try {
        result = sink(chunk);
      } catch (error) {
        fail(error);
        return;
      }
      if (!result) return;
      incoming.pause();
      pending = result.then(written, (error: unknown) => {
        pending = undefined;
        fail(error);
      });
    };
    // `end` may come while the last chunk is still being written.
    const onEnd = () => {
      ended = true;
      if (!pending) settle();
    };
    const onError = (error: Error) => fail(error);
    const onClose = () => {
      if (!ended) fail(new Error("the client closed the request before the end of its body"));
    };
    incoming.on("data", onData);
    incoming.on("end", onEnd);
    incoming.on("error", onError);
    incoming.on("close", onClose);
  });
}

import type { ClientRequest } from "node:http";
import { type LeanBody, leanPartsOf } from "./lean-request.js";

/** What the Node transport writes as a request body: bytes at once, or a stream with back-pressure. */
export type OutgoingBody = Uint8Array | ReadableStream<Uint8Array> | null;

/** Arms the idle timeout of the upload around each write that waits for the socket; returns its stop. */
export interface Stall {
  arm(): () => void;
}

const CHUNK_BYTES = 64 * 1024;
/** A body of unknown length that ends within this many bytes is sent with a `Content-Length`. */
const SMALL_BODY_BYTES = 1024 * 1024;

/**
 * Reads up to {@link SMALL_BODY_BYTES} of a body whose length is unknown.
 * Small bodies (JSON, forms) come back whole, so they can be sent with a
 * `Content-Length` — some servers and proxies mishandle chunked requests —
 * and larger ones come back as a stream that replays what was read first.
 */
async function measure(
  body: ReadableStream<Uint8Array>,
): Promise<{ whole: Uint8Array } | { stream: ReadableStream<Uint8Array> }> {
  const reader = body.getReader();
  const head: Uint8Array[] = [];
  let size = 0;
  while (size <= SMALL_BODY_BYTES) {
    const { value, done } = await reader.read();
    if (done) {
      const whole = new Uint8Array(size);
      let offset = 0;
      for (const chunk of head) {
        whole.set(chunk, offset);
        offset += chunk.byteLength;
      }
      return { whole };
    }
    head.push(value);
    size += value.byteLength;
  }
  return {
    stream: new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = head.shift();
        if (next) return controller.enqueue(next);
        const { value, done } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    }),
  };
}

/**
 * The body of a lean request as it goes out: a string or bytes as bytes
 * (no copy of bytes), with their length; a `Blob` as its stream, with its
 * size; a stream as it is.
 */
function leanOutgoing(body: LeanBody | null, headers: Record<string, string>): OutgoingBody {
  if (body === null) return null;
  let bytes: Uint8Array;
  if (typeof body === "string") bytes = Buffer.from(body, "utf8");
  else if (body instanceof ArrayBuffer) bytes = new Uint8Array(body);
  else if (ArrayBuffer.isView(body)) {
    bytes = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  } else if (body instanceof Blob) {
    headers["content-length"] ??= String(body.size);
    return body.stream() as ReadableStream<Uint8Array>;
  } else return body;
  headers["content-length"] ??= String(bytes.byteLength);
  return bytes;
}

/**
 * What to write for `request`, and its `Content-Length` in `headers` when
 * it can be known: from a lean request's body as given; from a `Request`'s
 * body stream, measured when small. As with `fetch`, the body decides the
 * length: a declared length without a body is dropped.
 */
export async function outgoingBody(
  request: Request,
  headers: Record<string, string>,
): Promise<OutgoingBody> {
  const lean = leanPartsOf(request);
  let body = lean ? leanOutgoing(lean.body, headers) : request.body;
  if (!body) {
    delete headers["content-length"];
    return null;
  }
  if (body instanceof ReadableStream && headers["content-length"] === undefined) {
    const measured = await measure(body);
    if ("whole" in measured) {
      body = measured.whole;
      headers["content-length"] = String(body.byteLength);
    } else {
      body = measured.stream;
    }
  }
  return body;
}

/** Writes one chunk; resolves once the socket took it (so its memory may be reused). */
function write(sink: ClientRequest, chunk: Uint8Array, stall: Stall): Promise<void> {
  const stop = stall.arm();
  return new Promise<void>((resolve, reject) => {
    sink.write(chunk, (error?: Error | null) => (error ? reject(error) : resolve()));
  }).finally(stop);
}

/**
 * Writes a web stream into the request. Byte streams (files, blobs) are read
 * with a BYOB reader into two buffers used in turn, so an upload of any size
 * allocates no per-chunk memory; other streams are read chunk by chunk. Either
 * way the next read waits for the socket, so memory stays bounded.
 */
export async function pump(body: ReadableStream<Uint8Array>, sink: ClientRequest, stall: Stall) {
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = body.getReader({ mode: "byob" });
  } catch {
    byob = undefined;
  }
  const reader = byob ?? body.getReader();
  try {
    if (byob) {
      const spare = [new ArrayBuffer(CHUNK_BYTES), new ArrayBuffer(CHUNK_BYTES)];
      let pending: Promise<void> = Promise.resolve();
      for (;;) {
        const { value, done } = await byob.read(new Uint8Array(spare.shift() as ArrayBuffer));
        if (done) break;
        await pending;
        pending = write(sink, value, stall).then(() => {
          spare.push(value.buffer as ArrayBuffer);
        });
      }
      await pending;
    } else {
      const plain = reader as ReadableStreamDefaultReader<Uint8Array>;
      for (;;) {
        const { value, done } = await plain.read();
        if (done) break;
        await write(sink, value, stall);
      }
    }
    sink.end();
  } catch (error) {
    await reader.cancel(error).catch(() => {});
    sink.destroy(error as Error);
  } finally {
    reader.releaseLock();
  }
}

/**
 * Writes bytes known in full and ends the request, with the idle timeout
 * armed until they are out (the wait for the headers, armed when the
 * request finishes, then takes its place). A length that disagrees with the
 * declared `Content-Length` fails the request (Node throws it at once).
 */
export function send(sink: ClientRequest, bytes: Uint8Array, stall: Stall): void {
  stall.arm();
  try {
    sink.end(bytes);
  } catch (error) {
    sink.destroy(error as Error);
  }
}

import type { IncomingMessage } from "node:http";
import { type BodyRefusal, BoundedChunks } from "../internal/callback-body.js";
import type { CallbackCall } from "../internal/callback-call.js";

/** A path made of plain segments only: the same once parsed as a URL, so it needs no parsing. */
const PLAIN_PATH = /^(?:\/[\w-]+)+$/;

/** The path of a request target as a URL parser sees it (dot segments resolved), without query. */
export function requestPath(target: string): string {
  const query = target.indexOf("?");
  const path = query < 0 ? target : target.slice(0, query);
  return PLAIN_PATH.test(path) ? path : new URL(path, "http://callback.receiver").pathname;
}

/**
 * A Node request as a callback call, read straight from the `IncomingMessage`
 * (no Web `Request` or stream): the body is not touched until `readBody`.
 */
class NodeCall implements CallbackCall {
  readonly #request: IncomingMessage;
  readonly path: string;

  constructor(request: IncomingMessage, path: string) {
    this.#request = request;
    this.path = path;
  }

  get method(): string {
    return this.#request.method ?? "GET";
  }

  get contentType(): string {
    return this.#request.headers["content-type"] ?? "";
  }

  get contentLength(): number {
    return Number(this.#request.headers["content-length"] ?? Number.NaN);
  }

  readBody(maxBytes: number, timeoutMs: number): Promise<Uint8Array | BodyRefusal> {
    return readRequestBody(this.#request, maxBytes, timeoutMs);
  }

  discard(): void {
    // Never resumed, the body stays in the socket; the listener closes the connection.
    this.#request.pause();
  }
}

/** `request` (whose path is `path`) as a callback call. */
export const nodeCall = (request: IncomingMessage, path: string): CallbackCall =>
  new NodeCall(request, path);

/**
 * Reads the body of `request` from its `data` events: at most `maxBytes`
 * (stops at the chunk that passes it, whatever `content-length` said),
 * within `timeoutMs` (a body already received in full is never late).
 * Rejects when the sender goes away before the end.
 * Whatever happens, every listener it added is removed and the request is
 * paused when it settles.
 */
function readRequestBody(
  request: IncomingMessage,
  maxBytes: number,
  timeoutMs: number,
): Promise<Uint8Array | BodyRefusal> {
  return new Promise((resolve, reject) => {
    if (request.destroyed) {
      reject(new Error("the callback's connection closed early"));
      return;
    }
    const received = new BoundedChunks(maxBytes);
    const settle = () => {
      clearTimeout(timer);
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onGone);
      request.off("close", onGone);
      request.pause();
    };
    const onData = (chunk: Buffer) => {
      if (received.add(chunk)) return;
      settle();
      resolve("too-large");
    };
    const onEnd = () => {
      settle();
      resolve(received.bytes());
    };
    const onGone = () => {
      settle();
      reject(new Error("the callback's connection closed early"));
    };
    // A body already received in full (a small callback comes with its
    // headers) waits for nobody: no timer to arm and clear.
    const timer = request.complete
      ? undefined
      : setTimeout(() => {
          settle();
          resolve("too-slow");
        }, timeoutMs);
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("error", onGone);
    request.on("close", onGone);
    request.resume();
  });
}

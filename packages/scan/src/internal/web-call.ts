import { readBoundedBody } from "./callback-body.js";
import type { CallbackAnswer, CallbackCall } from "./callback-call.js";

/** A Web `Request` as a callback call: its body is read only if the receiver asks. */
export function webCall(request: Request): CallbackCall {
  return {
    method: request.method,
    get path() {
      return new URL(request.url).pathname;
    },
    contentType: request.headers.get("content-type") ?? "",
    contentLength: Number(request.headers.get("content-length") ?? Number.NaN),
    readBody: (maxBytes, timeoutMs) => readBoundedBody(request.body, maxBytes, timeoutMs),
    discard() {
      // Nothing more of the body is read: a flood of guesses costs no memory.
      request.body?.cancel().catch(() => {});
    },
  };
}

/** A receiver's answer as a Web `Response`. */
export const webAnswer = (answer: CallbackAnswer): Response =>
  new Response(null, { status: answer.status, headers: answer.headers });

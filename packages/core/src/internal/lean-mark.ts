/**
 * How the portable client and transport recognise the Node transport's lean
 * requests without carrying their code (which lives in the Node entry).
 * Module-local symbols on purpose: a transport from another copy of this
 * package is not recognised, and gets real `Request`s.
 */

/** On a fetch function: the `Request` class it wants openapi-fetch to build requests with. */
export const LEAN_REQUEST_CLASS = Symbol("@mdkit/lean-request-class");

/** On a lean request: its signal as given (`undefined` when it has none). */
export const LEAN_SIGNAL = Symbol("@mdkit/lean-signal");

/** The request class a fetch function asks for (the Node transport's lean one), if any. */
export function leanRequestClassOf(fetch: unknown): typeof Request | undefined {
  if (typeof fetch !== "function") return undefined;
  return (fetch as { [LEAN_REQUEST_CLASS]?: typeof Request })[LEAN_REQUEST_CLASS];
}

/** Whether a request is a lean one (the Node transport heeds its signal itself). */
export function isLeanRequest(request: Request): boolean {
  return LEAN_SIGNAL in request;
}

/**
 * The signal of a request as the transport should heed it: `undefined` for
 * a lean request given none (nothing can abort it), otherwise `request.signal`.
 */
export function signalOf(request: Request): AbortSignal | undefined {
  return LEAN_SIGNAL in request
    ? (request as Request & { [LEAN_SIGNAL]: AbortSignal | undefined })[LEAN_SIGNAL]
    : request.signal;
}

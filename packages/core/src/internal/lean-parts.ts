/** The request bodies a lean request carries as given (the Node transport's `LeanRequest`). */
export type LeanBody = string | ArrayBuffer | ArrayBufferView | Blob | ReadableStream<Uint8Array>;

/** What a lean request's transport reads, kept off the request's public face. */
export interface LeanParts {
  /** The parsed URL (the one `url` serialises). */
  readonly url: URL;
  /** The body as given; `null` without one. */
  readonly body: LeanBody | null;
  /** The signal given; `undefined` when nothing can abort the request. */
  readonly signal: AbortSignal | undefined;
}

/**
 * Where a lean request keeps its {@link LeanParts}. Module-local on purpose:
 * only this copy of the package makes (and trusts) lean requests.
 */
export const LEAN_PARTS = Symbol("@mdkit/lean-parts");

/**
 * The property of a fetch function holding the `Request` class it wants the
 * client to build its requests with (the Node transport's lean one). A
 * user's wrapper around that fetch lacks it, and gets real `Request`s. The
 * class lives with the Node transport, so portable bundles never carry it.
 */
export const LEAN_REQUEST_CLASS = Symbol("@mdkit/lean-request-class");

/** The parts a transport sends a lean request from; `undefined` for any other request. */
export function leanPartsOf(request: Request): LeanParts | undefined {
  return (request as { [LEAN_PARTS]?: LeanParts })[LEAN_PARTS];
}

/**
 * The signal of a request as the transport should heed it: `undefined` for
 * a lean request given none (nothing can abort it), otherwise `request.signal`.
 */
export function signalOf(request: Request): AbortSignal | undefined {
  const parts = leanPartsOf(request);
  return parts ? parts.signal : request.signal;
}

/** The `Request` class a fetch function asks the client to use, if any. */
export function requestClassOf(fetch: unknown): typeof Request | undefined {
  if (typeof fetch !== "function") return undefined;
  return (fetch as { [LEAN_REQUEST_CLASS]?: typeof Request })[LEAN_REQUEST_CLASS];
}

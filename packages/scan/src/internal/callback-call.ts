import type { BodyRefusal } from "./callback-body.js";

/**
 * One request to a callback receiver, whatever carried it (a Web `Request`,
 * Node's `IncomingMessage`): what the receiver looks at before deciding to
 * read the body, and the two ways to deal with the body.
 */
export interface CallbackCall {
  /** The HTTP method, upper case. */
  readonly method: string;
  /** The request's path, without query string. */
  readonly path: string;
  /** The `content-type` header, `""` without one. */
  readonly contentType: string;
  /** The declared `content-length`, `NaN` without one. */
  readonly contentLength: number;
  /**
   * Reads the whole body, at most `maxBytes` (`too-large` as soon as more
   * came), within `timeoutMs` (`too-slow`); rejects when the sender went
   * away before the end. Reading stops at a refusal.
   */
  readBody(maxBytes: number, timeoutMs: number): Promise<Uint8Array | BodyRefusal>;
  /** The body will not be read: stop taking it in (the transport closes the connection). */
  discard(): void;
}

/** The receiver's answer to a call: a status and headers, no body. */
export interface CallbackAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
}

const NO_STORE: Readonly<Record<string, string>> = Object.freeze({ "cache-control": "no-store" });

/** An answer with `status`, `cache-control: no-store` and any `extra` headers. */
export const callbackAnswer = (status: number, extra?: Record<string, string>): CallbackAnswer => ({
  status,
  headers: extra === undefined ? NO_STORE : { ...NO_STORE, ...extra },
});

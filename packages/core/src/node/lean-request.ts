import { LEAN_SIGNAL } from "../internal/lean-mark.js";

/** The request bodies a {@link LeanRequest} carries as given. */
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

/** Reads a lean request's parts (set by the class's static block, which can see its private field). */
let partsOf: (request: object) => LeanParts | undefined;

/** Methods `fetch` refuses (RFC 9110 and the Fetch standard). */
const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);
/** Methods `fetch` upper-cases; any other is sent as spelled. */
const NORMALISED_METHODS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);
/** An HTTP token (RFC 9110 §5.6.2). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function methodOf(value: string | undefined): string {
  const method = value ?? "GET";
  if (!TOKEN.test(method)) throw new TypeError(`'${method}' is not a valid HTTP method.`);
  const upper = method.toUpperCase();
  if (FORBIDDEN_METHODS.has(upper)) throw new TypeError(`'${method}' HTTP method is unsupported.`);
  return NORMALISED_METHODS.has(upper) ? upper : method;
}

/** The `Content-Type` a `Request` gives a body of this kind when none is set. */
function defaultContentType(body: LeanBody): string | undefined {
  if (typeof body === "string") return "text/plain;charset=UTF-8";
  if (body instanceof Blob && body.type) return body.type;
  return undefined;
}

/** Whether a serialised body can travel in a {@link LeanRequest} (others need a real `Request`). */
export function isLeanBody(body: unknown): body is LeanBody | null | undefined {
  return (
    body === undefined ||
    body === null ||
    typeof body === "string" ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof Blob ||
    body instanceof ReadableStream
  );
}

/**
 * A stand-in for a `Request` that the Node transport sends without the
 * cost of one: no copy of a byte body, no stream around a string, no signal
 * of its own, no `Headers` copy (the one given is used as is). It has what
 * the client, its transport and auth strategies read — `url` (parsed and
 * serialised as a `Request` would), `method`, `headers` (a real `Headers`,
 * with the `Content-Type` a `Request` would add), `signal` — and reads its
 * body, or `clone()`s, through a real `Request` built on demand. The body
 * itself goes to the transport as given.
 *
 * It is made by the client only for a fetch that asks for it (the Node
 * transport names {@link LeanOrRealRequest} as its request class); a user's
 * own fetch, even one wrapping the Node transport, gets real `Request`s.
 */
export class LeanRequest {
  /** The URL, as `Request.url` serialises it. */
  readonly url: string;
  /** The method, normalised as `Request` does. */
  readonly method: string;
  /** The headers (the very object given). */
  readonly headers: Headers;
  /** What to do on a redirect (the transport never follows one). */
  readonly redirect: RequestRedirect;
  readonly #parts: LeanParts;
  #signal: AbortSignal | undefined;
  #real: Request | undefined;

  constructor(input: string | URL, init: RequestInit = {}) {
    const url = new URL(String(input));
    if (url.username || url.password) {
      throw new TypeError(`Request cannot be constructed from a URL that includes credentials`);
    }
    this.url = url.href;
    this.method = methodOf(init.method);
    const body = (init.body ?? null) as LeanBody | null;
    if (body !== null && (this.method === "GET" || this.method === "HEAD")) {
      throw new TypeError("Request with GET/HEAD method cannot have body.");
    }
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    if (body !== null && !this.headers.has("content-type")) {
      const type = defaultContentType(body);
      if (type) this.headers.set("content-type", type);
    }
    this.redirect = init.redirect ?? "follow";
    this.#parts = { url, body, signal: init.signal ?? undefined };
  }

  static {
    partsOf = (request) => (#parts in request ? (request as LeanRequest).#parts : undefined);
  }

  /** The signal as given, for the transport: `undefined` when nothing can abort the request. */
  get [LEAN_SIGNAL](): AbortSignal | undefined {
    return this.#parts.signal;
  }

  /** The signal given, or (as a `Request` has) one that never aborts. */
  get signal(): AbortSignal {
    this.#signal ??= this.#parts.signal ?? new AbortController().signal;
    return this.#signal;
  }

  /** The body as a web stream (of a real `Request` made from this one). */
  get body(): ReadableStream<Uint8Array> | null {
    return this.#materialise().body;
  }

  /** Whether the body was read through this object. */
  get bodyUsed(): boolean {
    return this.#real?.bodyUsed ?? false;
  }

  /** The body as text (read through a real `Request`). */
  text(): Promise<string> {
    return this.#materialise().text();
  }

  /** The body parsed as JSON. */
  json(): Promise<unknown> {
    return this.#materialise().json();
  }

  /** The body's bytes. */
  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#materialise().arrayBuffer();
  }

  /** The body as a `Blob`. */
  blob(): Promise<Blob> {
    return this.#materialise().blob();
  }

  /** The body as form data. */
  formData(): Promise<FormData> {
    return this.#materialise().formData();
  }

  /** A real `Request` with the same URL, method, headers, body and signal. */
  clone(): Request {
    return this.#materialise().clone();
  }

  #materialise(): Request {
    if (this.#real) return this.#real;
    const parts = this.#parts;
    this.#real = new Request(this.url, {
      method: this.method,
      headers: this.headers,
      body: parts.body as RequestInit["body"],
      redirect: this.redirect,
      signal: parts.signal ?? null,
      duplex: "half",
    } as RequestInit);
    return this.#real;
  }
}

/** The parts a transport sends a lean request from; `undefined` for any other request. */
export function leanPartsOf(request: Request): LeanParts | undefined {
  return partsOf(request);
}

/**
 * What openapi-fetch is given as its `Request` class when the client's
 * fetch is the Node transport: a {@link LeanRequest} for the bodies
 * it carries, a real `Request` for any other (`FormData`, `URLSearchParams`),
 * so that their encoding and `Content-Type` stay exactly as `fetch` makes them.
 * (A function called with `new` that returns an object gives that object.)
 */
export const LeanOrRealRequest = function LeanOrRealRequest(
  input: string | URL,
  init: RequestInit = {},
) {
  return isLeanBody(init.body) ? new LeanRequest(input, init) : new Request(input, init);
} as unknown as typeof Request;

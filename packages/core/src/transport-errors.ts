/**
 * Errors of the transport's limits: deadlines, per-request timeouts, bodies
 * that are too large or unusable. Kept apart from `errors.ts` (the base
 * hierarchy) because they concern time and size, not HTTP statuses.
 */
import {
  HttpError,
  type HttpErrorInit,
  MdkitError,
  type MdkitErrorOptions,
  NetworkError,
} from "./errors.js";

const DEADLINE_ERROR = Symbol.for("@mdkit/deadline-exceeded");

/**
 * A deadline passed (`timeoutMs` of a call, a scan, a batch): the reason a
 * deadline's `AbortSignal` aborts with. HTTP calls cut by it surface as
 * {@link RequestTimeoutError} with `phase: "deadline"`.
 */
export class DeadlineExceededError extends MdkitError {
  /** The deadline's length, ms. */
  readonly timeoutMs: number;
  constructor(message: string, options: MdkitErrorOptions & { timeoutMs: number }) {
    super(message, options);
    this.timeoutMs = options.timeoutMs;
    Object.defineProperty(this, DEADLINE_ERROR, { value: true });
  }
}

/**
 * Whether `value` is a {@link DeadlineExceededError} (checked by brand, not by shape).
 *
 * @example
 * ```ts
 * const deadline = createDeadline({ timeoutMs: 10 });
 * await new Promise((resolve) => setTimeout(resolve, 20));
 * isDeadlineExceeded(deadline.signal.reason); // true
 * isDeadlineExceeded(new Error("timeout")); // false: the brand is checked, not the name
 * ```
 */
export function isDeadlineExceeded(value: unknown): value is DeadlineExceededError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<symbol, unknown>)[DEADLINE_ERROR] === true
  );
}

/** The stage of a request at which a timeout fired. */
export type TimeoutPhase = "connect" | "headers" | "idle" | "deadline";

/** Context a {@link RequestTimeoutError} is built from. */
export interface RequestTimeoutErrorInit extends HttpErrorInit {
  /** Which timeout fired. */
  phase: TimeoutPhase;
  /** Its length, ms. */
  timeoutMs: number;
}

/**
 * A request ran out of time: no connection (`connect`), no response headers
 * (`headers`), no body bytes for too long (`idle`), or the deadline of the
 * call, scan or batch passed (`deadline`). A `NetworkError` with status 0:
 * no complete response arrived.
 */
export class RequestTimeoutError extends NetworkError {
  /** Which timeout fired. */
  readonly phase: TimeoutPhase;
  /** Its length, ms. */
  readonly timeoutMs: number;
  constructor(init: RequestTimeoutErrorInit) {
    super(init);
    this.phase = init.phase;
    this.timeoutMs = init.timeoutMs;
  }
}

/**
 * A response arrived but its body cannot be used: not valid JSON (duplicate
 * keys included, for clients that read strictly), or not decodable by its
 * `Content-Encoding`. Never read as a result.
 */
export class MalformedResponseError extends HttpError {}

/**
 * A response body was larger than the client reads into memory
 * (`maxBodyBytes`, counted after decompression). Reading stopped there.
 */
export class ResponseTooLargeError extends HttpError {
  /** The limit that was exceeded, bytes. */
  readonly limitBytes: number;
  constructor(init: HttpErrorInit & { limitBytes: number }) {
    super(init);
    this.limitBytes = init.limitBytes;
  }
}

/**
 * Errors of the transport's limits: deadlines, per-request timeouts, bodies
 * that are too large or unusable. Kept apart from `errors.ts` (the base
 * hierarchy) because they concern time and size, not HTTP statuses.
 */
import { MdkitError, type MdkitErrorOptions } from "./errors.js";

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

/** Whether `value` is a {@link DeadlineExceededError} (checked by brand, not by shape). */
export function isDeadlineExceeded(value: unknown): value is DeadlineExceededError {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<symbol, unknown>)[DEADLINE_ERROR] === true
  );
}

/**
 * The cause of an mdkit error, made safe to render. An mdkit error is
 * redacted by construction and kept as it is; any other error (a `fetch`
 * TypeError, a Node system error, another library's error) is replaced by a
 * copy of the same built-in class carrying its name, code and other plain
 * fields, with message, stack and fields redacted and its own cause treated
 * the same way. Other values are deep-copied with `redactValue`.
 */
import { redactText, redactValue } from "../redact.js";

const MDKIT_ERROR = Symbol.for("@mdkit/error");
/** Causes deeper than this are cut: a cause chain that long is a loop or an attack. */
const MAX_CAUSE_DEPTH = 8;

/** The built-in error classes, most specific first; a copy keeps the nearest one. */
const BUILT_IN: readonly ErrorConstructor[] = [
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  Error,
];

function isMdkitError(value: object): boolean {
  return (value as Record<symbol, unknown>)[MDKIT_ERROR] === true;
}

function copyError(error: Error, secrets: readonly string[], depth: number): Error {
  const text = (value: unknown) => redactText(String(value), secrets);
  const Kind = BUILT_IN.find((kind) => error instanceof kind) ?? Error;
  const copy = new Kind(text(error.message));
  const fields = copy as unknown as Record<string, unknown>;
  const hidden = (key: string, value: unknown) =>
    Object.defineProperty(copy, key, { value, writable: true, configurable: true });
  if (error.name !== copy.name) hidden("name", text(error.name));
  hidden(
    "stack",
    typeof error.stack === "string" ? text(error.stack) : `${copy.name}: ${copy.message}`,
  );
  for (const [key, value] of Object.entries(error)) {
    if (value === null || typeof value !== "object")
      fields[text(key)] = redactValue(value, secrets);
  }
  const { errors } = error as { errors?: unknown };
  if (Array.isArray(errors))
    hidden(
      "errors",
      errors.map((e) => redactCause(e, secrets, depth + 1)),
    );
  if ("cause" in error) hidden("cause", redactCause(error.cause, secrets, depth + 1));
  return copy;
}

/** A cause safe to render in every way (see the module comment). */
export function redactCause(cause: unknown, secrets: readonly string[], depth = 0): unknown {
  if (depth > MAX_CAUSE_DEPTH) return "[Truncated]";
  if (cause === null || typeof cause !== "object") return redactValue(cause, secrets);
  if (isMdkitError(cause)) return cause;
  if (cause instanceof Error) return copyError(cause, secrets, depth);
  return redactValue(cause, secrets);
}

import { InvalidDataIdError } from "../errors.js";

/** Longest identifier accepted from the server (real ones are 32 hex digits). */
const MAX_ID_LENGTH = 128;
const PLAIN = /^[A-Za-z0-9._~-]+$/;

/** Why `value` is not a plain identifier, or `undefined` when it is one. */
function problemOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return "is missing";
  if (typeof value !== "string") return `is a ${typeof value}, not a string`;
  if (value.length === 0) return "is empty";
  if (value.length > MAX_ID_LENGTH)
    return `is ${value.length} characters long (at most ${MAX_ID_LENGTH})`;
  if (!PLAIN.test(value))
    return "holds characters other than letters, digits, '-', '_', '.' and '~'";
  if (/^\.+$/.test(value)) return `is "${value}", a path segment`;
  return undefined;
}

/** Whether `value` is an identifier that can only name itself in a URL path. */
export function isPlainId(value: unknown): value is string {
  return problemOf(value) === undefined;
}

/**
 * `value` when it is a plain identifier (letters, digits, `-`, `_`, `.`, `~`;
 * not only dots; 1–128 characters), else an {@link InvalidDataIdError}
 * naming `field` and `where` it came from. The value itself is not repeated
 * in the message: a hostile server chooses it.
 */
export function checkServerId(value: unknown, field: string, where: string): string {
  const problem = problemOf(value);
  if (problem === undefined) return value as string;
  throw new InvalidDataIdError(
    `${where}: ${field} ${problem}; nothing was requested with it, and it is never read as clean`,
    field,
  );
}

import { isMdkitError } from "@mdkit/core";

/**
 * A usage or configuration error of the CLI itself (a missing setting, a
 * bad argument): printed as one line, exit code 2.
 */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}

/** The one-line message of any error: mdkit's errors are redacted already. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * The JSON printed with `--debug`: an mdkit error's own `toJSON` (redacted
 * by construction), otherwise name, message and code, never a stack of
 * another library's internals.
 */
export function debugJson(error: unknown): string {
  if (isMdkitError(error)) return JSON.stringify(error, null, 2);
  if (error instanceof Error) {
    const { code } = error as { code?: unknown };
    return JSON.stringify(
      { name: error.name, message: error.message, ...(code ? { code } : {}) },
      null,
      2,
    );
  }
  return JSON.stringify({ error: String(error) }, null, 2);
}

import { CliError } from "./errors.js";
import type { CliIo } from "./io.js";

type Input = NonNullable<CliIo["stdin"]>;

interface TtyInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/** Reads standard input to its end and returns its first line (a secret piped in: `--password-stdin`). */
export async function readFirstLine(stdin: Input | undefined, what: string): Promise<string> {
  if (!stdin) throw new CliError(`${what}: there is no standard input to read it from`);
  let text = "";
  const decoder = new TextDecoder();
  for await (const chunk of stdin as AsyncIterable<Uint8Array | string>) {
    text += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    if (text.length > 64 * 1024) break;
  }
  const line = text.split(/\r?\n/)[0]?.trim() ?? "";
  if (!line) throw new CliError(`${what}: standard input was empty`);
  return line;
}

/**
 * Asks for a value on the terminal: the question on stderr, the answer
 * read from standard input, not echoed when `hidden` (a password).
 *
 * @throws {CliError} when standard input is not a terminal (pass the value another way).
 */
export async function ask(io: CliIo, question: string, hidden: boolean): Promise<string> {
  const stdin = io.stdin as TtyInput | undefined;
  if (!stdin?.isTTY || !stdin.setRawMode) {
    throw new CliError(
      `${question.replace(/: $/, "")} is needed and standard input is not a terminal: pass it with a flag or on standard input`,
    );
  }
  io.stderr.write(question);
  stdin.setRawMode(true);
  try {
    let answer = "";
    for await (const chunk of stdin as AsyncIterable<Uint8Array | string>) {
      for (const char of typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8")) {
        if (char === "\u0003") throw new CliError("cancelled");
        if (char === "\r" || char === "\n") {
          io.stderr.write("\n");
          return answer.trim();
        }
        if (char === "\u007f" || char === "\b") answer = answer.slice(0, -1);
        else if (char >= " ") {
          answer += char;
          if (!hidden) io.stderr.write(char);
        }
      }
    }
    return answer.trim();
  } finally {
    stdin.setRawMode(false);
    (stdin as { pause?: () => void }).pause?.();
  }
}

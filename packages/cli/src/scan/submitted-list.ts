/**
 * The list of files a batch was sent, kept on disk (`mdkit batch
 * --submitted-out`) so that `mdkit batch --resume --submitted` can demand
 * that the signed result lists every one of them: a result that leaves a
 * file out (an infected one, say) then fails instead of reading as clean.
 * One JSON object per line: `{"dataId", "name", "sha256"}`.
 */
import { FileChangedError, openRegularFile } from "@mdkit/core/node";
import type { SubmittedFile } from "@mdkit/scan/node";
import { CliError } from "../errors.js";
import { openOutputFile } from "../output/output-file.js";

/** Bigger than any list a batch could produce (a line per file): a bigger file is not one. */
const MAX_LIST_BYTES = 64 * 1024 * 1024;
const SHA256 = /^[0-9a-f]{64}$/i;

/** A writer of the list: each file is on disk (synced) before the batch goes on. */
export interface SubmittedWriter extends AsyncDisposable {
  record(file: SubmittedFile): Promise<void>;
}

/**
 * Creates (or empties) the list at `path`, readable by its owner only.
 *
 * @throws {CliError} when it cannot be written.
 */
export async function writeSubmittedList(path: string): Promise<SubmittedWriter> {
  const handle = await openOutputFile(path, "--submitted-out", 0o600);
  return {
    async record(file) {
      const line = { dataId: file.dataId, name: file.name, sha256: file.sha256 };
      await handle.write(`${JSON.stringify(line)}\n`);
      // Synced: after a crash the list holds every file the gateway said it accepted.
      await handle.datasync();
    },
    [Symbol.asyncDispose]: () => handle.close(),
  };
}

/** One line of the list as a file, or why it is not one. */
function fileOf(value: unknown): SubmittedFile | string {
  if (!value || typeof value !== "object" || Array.isArray(value)) return "not a JSON object";
  const { dataId, name, sha256 } = value as Record<string, unknown>;
  if (typeof dataId !== "string" || dataId === "") return "no dataId";
  if (name !== undefined && typeof name !== "string") return "a name that is not text";
  if (sha256 !== undefined && (typeof sha256 !== "string" || !SHA256.test(sha256)))
    return "a sha256 that is not 64 hex digits";
  return { dataId, ...(name !== undefined ? { name } : {}), ...(sha256 ? { sha256 } : {}) };
}

/**
 * Reads the list at `path`. A last line cut short (the writer stopped
 * mid-line) is left out with a warning through `warn`; any other line that
 * is not a file is an error naming it.
 *
 * @throws {CliError} naming the file (and line) that is not a submitted list.
 */
export async function readSubmittedList(
  path: string,
  warn: (message: string) => void,
): Promise<SubmittedFile[]> {
  const fail = (why: string) => new CliError(`--submitted ${path}: ${why}`);
  // Opened as a regular file on the descriptor: a FIFO or a device in its place never blocks the read.
  const handle = await openRegularFile(path).catch((error: NodeJS.ErrnoException) => {
    throw fail(
      error instanceof FileChangedError
        ? "not a regular file"
        : `cannot read it (${error.code ?? error.message})`,
    );
  });
  let text: string;
  try {
    if ((await handle.stat()).size > MAX_LIST_BYTES)
      throw fail(`over ${MAX_LIST_BYTES} bytes: not a submitted list`);
    text = await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
  const lines = text.split("\n");
  const complete = text.endsWith("\n") || text === "";
  const files: SubmittedFile[] = [];
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const last = index === lines.length - 1;
    let file: SubmittedFile | string;
    try {
      file = fileOf(JSON.parse(line));
    } catch {
      file = "not JSON";
    }
    if (typeof file !== "string") files.push(file);
    else if (last && !complete) warn(`--submitted ${path}: its last line is cut short; left out`);
    else throw fail(`line ${index + 1}: ${file}`);
  }
  if (files.length === 0) throw fail("it lists no file");
  return files;
}

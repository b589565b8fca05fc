import { constants } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { CliError } from "../errors.js";

const WRITE_WITHOUT_WAITING =
  constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NONBLOCK;

/**
 * Opens `path` (named by `option` in errors) to write it afresh, created
 * with `mode` when new: never waiting on a FIFO that nobody reads
 * (`O_NONBLOCK` fails at once with `ENXIO`), and never writing into
 * anything but a regular file.
 *
 * @throws {CliError} naming the option and the path when it cannot be written.
 */
export async function openOutputFile(
  path: string,
  option: string,
  mode = 0o644,
): Promise<FileHandle> {
  const fail = (why: string) => new CliError(`${option} ${path}: ${why}`);
  const handle = await open(path, WRITE_WITHOUT_WAITING, mode).catch(
    (error: NodeJS.ErrnoException) => {
      throw fail(`cannot write it (${error.code ?? error.message})`);
    },
  );
  if (!(await handle.stat()).isFile()) {
    await handle.close();
    throw fail("not a regular file");
  }
  return handle;
}

/** Writes `text` as the whole of `path` (see {@link openOutputFile}). */
export async function writeOutputFile(path: string, option: string, text: string): Promise<void> {
  const handle = await openOutputFile(path, option);
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
}

import { constants, type Stats } from "node:fs";
import { FileChangedError } from "./file-changed-error.js";

/** What names a file on its device (an `fs.Stats` is one). */
export interface FileIdentity {
  /** Device id, as `stats.dev`. */
  readonly dev: number;
  /** Inode number, as `stats.ino`. */
  readonly ino: number;
}

/**
 * Read-only and non-blocking: opening a FIFO to read waits for a writer, and
 * would hold one of libuv's few pool threads for as long; with `O_NONBLOCK` it
 * returns at once and {@link checkOpenedFile} refuses it. Regular files ignore
 * the flag (and Windows, which has neither the flag nor FIFOs, reads 0).
 */
export const READ_WITHOUT_WAITING = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Checks what `fstat` says of a file just opened at `path`: a regular file
 * and, given `expected`, the very file an earlier `stat` looked at (same
 * device and inode). Every open of a file to read goes through it, whatever
 * the API that opened it.
 *
 * @throws {FileChangedError} when it is not a regular file, or not the expected one.
 */
export function checkOpenedFile(path: string, opened: Stats, expected?: FileIdentity): void {
  if (!opened.isFile()) throw new FileChangedError(path, "it is no longer a regular file");
  if (expected && (opened.dev !== expected.dev || opened.ino !== expected.ino))
    throw new FileChangedError(path, "another file took its place");
}

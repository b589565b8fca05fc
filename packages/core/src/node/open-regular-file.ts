import { constants } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
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
 * returns at once and the check below refuses it. Regular files ignore the flag
 * (and Windows, which has neither the flag nor FIFOs, reads 0).
 */
const READ_WITHOUT_WAITING = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Opens a file to read, after checking on the open handle that it is a
 * regular file and, given `expected`, the very file an earlier `stat`
 * looked at (same device and inode). A path re-pointed between the look and
 * the open (a symbolic link swapped for a FIFO, `/dev/zero` or another file)
 * is refused instead of read, and a FIFO never blocks the open.
 *
 * @throws {FileChangedError} when it is not a regular file, or not the expected one.
 * @example
 * ```ts
 * import { stat } from "node:fs/promises";
 * import { openRegularFile } from "@mdkit/core/node";
 *
 * const looked = await stat("./report.pdf");
 * const handle = await openRegularFile("./report.pdf", looked);
 * try {
 *   const { bytesRead } = await handle.read(Buffer.alloc(16), 0, 16, 0);
 * } finally {
 *   await handle.close();
 * }
 * ```
 */
export async function openRegularFile(path: string, expected?: FileIdentity): Promise<FileHandle> {
  const handle = await open(path, READ_WITHOUT_WAITING);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new FileChangedError(path, "it is no longer a regular file");
    if (expected && (info.dev !== expected.dev || info.ino !== expected.ino))
      throw new FileChangedError(path, "another file took its place");
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

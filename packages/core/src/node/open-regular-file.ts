import { type FileHandle, open } from "node:fs/promises";
import { checkOpenedFile, type FileIdentity, READ_WITHOUT_WAITING } from "./regular-file-check.js";

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
    checkOpenedFile(path, await handle.stat(), expected);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

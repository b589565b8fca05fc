import { close, fstat, open, read, type Stats } from "node:fs";
import { FileChangedError } from "./file-changed-error.js";
import { checkOpenedFile, type FileIdentity, READ_WITHOUT_WAITING } from "./regular-file-check.js";

/** A callback of Node's `fs` API: an error, or the call's result. */
type Done<T> = (error: NodeJS.ErrnoException | null, value: T) => void;

/**
 * One call of the callback API of `node:fs`, as a promise. On a raw descriptor these calls cost
 * about half the CPU of the same calls through a `FileHandle` (each of whose calls adds its own
 * bookkeeping and promises). Never the synchronous calls: a hung network mount must not block
 * the event loop, so that deadlines still fire.
 */
const call = <T>(start: (done: Done<T>) => void) =>
  new Promise<T>((resolve, reject) => {
    start((error, value) => (error ? reject(error) : resolve(value)));
  });

/**
 * The whole content of the small file an earlier `stat` (`looked`) described,
 * read in one system call into one buffer: opened as {@link openRegularFile}
 * opens (read-only, never waiting on a FIFO), checked on the open descriptor to
 * be a regular file and the very file looked at (same device and inode), and
 * read at most one byte past `looked.size`: a file that holds more (it grew, or
 * it is a file such as `/proc/self/status` whose size says 0) is refused, not
 * buffered, however much more it holds. A file that shrank is read as it is
 * now. The descriptor is closed on every path, failures included.
 *
 * It allocates `looked.size + 1` bytes: meant for small files (the caller
 * bounds the size); stream larger ones with a `FileBlob`.
 *
 * @internal Shared by the mdkit packages (`@mdkit/scan` reads small inputs
 * with it); not a stable API: use `openFileBlob` or `openRegularFile`.
 * @returns A zeroed buffer of its own (never from the shared pool, so the bytes
 *   go out as a body with nothing else in their memory), holding the file's bytes.
 * @throws {FileChangedError} when it is not a regular file, not the one looked
 *   at, or holds more than `looked.size` bytes.
 * @example
 * ```ts
 * import { stat } from "node:fs/promises";
 * import { readRegularFile } from "@mdkit/core/node";
 *
 * const looked = await stat("./note.txt");
 * const bytes = await readRegularFile("./note.txt", looked);
 * ```
 */
export async function readRegularFile(
  path: string,
  looked: FileIdentity & { readonly size: number },
): Promise<Buffer> {
  const fd = await call<number>((done) => open(path, READ_WITHOUT_WAITING, done));
  try {
    checkOpenedFile(path, await call<Stats>((done) => fstat(fd, done)), looked);
    const buffer = Buffer.alloc(looked.size + 1);
    // One read asks for the whole buffer, and none follows. For a regular file, read(2) returns
    // fewer bytes than asked only at the end of the file (a signal can cut it short only after
    // some bytes, which local file systems on Linux do not let happen), so a short read is the
    // file as it was at that moment, and the usual second read, returning 0, would say nothing
    // more. Were a file system ever to cut a read short (a network or FUSE mount), the bytes
    // kept are still a prefix of the file, as for a file truncated after the look (read as it
    // is): the upload and its hash share them. A full buffer means it holds more than it did.
    const bytesRead = await call<number>((done) => read(fd, buffer, 0, buffer.length, 0, done));
    if (bytesRead === buffer.length)
      throw new FileChangedError(path, `it holds more than the ${looked.size} bytes it had`);
    return buffer.subarray(0, bytesRead);
  } finally {
    await call<void>((done) => close(fd, (error) => done(error, undefined)));
  }
}

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
 * read into one buffer (in one system call when the file is unchanged): opened
 * as {@link openRegularFile} opens (read-only, never waiting on a FIFO), checked on the open descriptor to
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
    // Reads until the end of the file, or until it holds more than it did. A read that brings
    // the file up to the size looked at, having asked for one byte more, met the end of the
    // file: for a regular file read(2) returns fewer bytes than asked only there, so the usual
    // last read, returning 0, is skipped (the common case is one read). A read short of that
    // size (the file shrank, or a network or FUSE mount cut the read short) is followed by
    // more, until one returns 0: never a prefix taken for the whole file.
    for (let filled = 0; ; ) {
      const bytesRead = await call<number>((done) =>
        read(fd, buffer, filled, buffer.length - filled, filled, done),
      );
      filled += bytesRead;
      if (filled === buffer.length)
        throw new FileChangedError(path, `it holds more than the ${looked.size} bytes it had`);
      if (bytesRead === 0 || filled === looked.size) return buffer.subarray(0, filled);
    }
  } finally {
    await call<void>((done) => close(fd, (error) => done(error, undefined)));
  }
}

import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type BinaryBody, FileBlob, FileChangedError, readRegularFile } from "@mdkit/core";
import { InvalidInputError } from "../errors.js";
import type { FileSource } from "../input.js";

/** Files up to this size are read into memory once instead of streamed (bounded by the run's prefetch). */
const SMALL_FILE_BYTES = 64 * 1024;

/** Bytes read at a time when hashing a file: one buffer, reused for the whole file. */
const HASH_READ_BYTES = 256 * 1024;

/** A file that changed under mdkit, as the bad input it is: named, never scanned. */
function changedWhileRead(path: string, reason: string, cause: unknown): InvalidInputError {
  return new InvalidInputError(
    `${path} changed while it was being read (${reason}); it was not scanned: scan it again once nothing writes to it`,
    { cause },
  );
}

/** A path that cannot be read: named, with the system's code (`ENOENT`, `EACCES`, `EIO`, ...). */
const unreadable = (path: string, error: NodeJS.ErrnoException) =>
  new InvalidInputError(`cannot read ${path}: ${error.code ?? error.message}`, { cause: error });

/**
 * Runs `read` of `path`'s bytes, its failures typed: a {@link FileChangedError}
 * as {@link changedWhileRead}'s error, a failed system call as {@link unreadable}'s.
 */
async function readingInput<T>(path: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof FileChangedError) throw changedWhileRead(error.path, error.reason, error);
    const failed = error as NodeJS.ErrnoException;
    if (typeof failed?.syscall === "string") throw unreadable(path, failed);
    throw error;
  }
}

/**
 * SHA-256 of exactly the bytes an upload of `blob` sends: its own stream,
 * read into one reused buffer (BYOB), so a 1 GiB file leaves no garbage of
 * chunks behind, and the hash and the upload cannot describe different sizes.
 */
async function sha256OfBlob(blob: FileBlob): Promise<string> {
  const hash = createHash("sha256");
  const reader = blob.stream().getReader({ mode: "byob" });
  let buffer = new ArrayBuffer(Math.min(HASH_READ_BYTES, Math.max(1, blob.size)));
  try {
    for (;;) {
      const { value, done } = await reader.read(new Uint8Array(buffer));
      if (done || !value) break;
      hash.update(value);
      buffer = value.buffer as ArrayBuffer;
    }
  } finally {
    reader.releaseLock();
  }
  return hash.digest("hex");
}

/** A {@link FileSource} on disk, with what a journal needs to recognise it. */
export interface PathSource extends FileSource {
  /** Absolute path. */
  readonly path: string;
  /** Modification time, ms. */
  readonly mtimeMs: number;
}

/**
 * A file on disk as a scan input: its size is read up front (for
 * `Content-Length`), its bytes are streamed from disk for each attempt (files
 * up to 64 KiB are read once and kept), and its SHA-256 is computed with
 * `node:crypto`.
 *
 * @example
 * ```ts
 * const result = await scanFile(cluster, await fromPath("./invoice.pdf"));
 * ```
 */
export async function fromPath(path: string, options: { name?: string } = {}): Promise<PathSource> {
  const absolute = resolve(path);
  // Checked before anything is opened: opening a FIFO or a device could block or act on it.
  const info = await stat(absolute).catch((error: NodeJS.ErrnoException) => {
    throw unreadable(path, error);
  });
  if (!info.isFile()) throw new InvalidInputError(`${path} is not a regular file`);
  const common = {
    path: absolute,
    key: absolute,
    mtimeMs: info.mtimeMs,
    name: options.name ?? basename(absolute),
    replayable: true,
  };
  if (info.size <= SMALL_FILE_BYTES) {
    // Small files are read once, at most one byte past the size looked at (a file that holds
    // more is refused): one read serves both the hash and the upload.
    const bytes = await readingInput(path, () => readRegularFile(absolute, info));
    return {
      ...common,
      size: bytes.byteLength,
      open: (): BinaryBody => bytes,
      sha256: async () => createHash("sha256").update(bytes).digest("hex"),
    };
  }
  // Larger files stream from disk with zero-copy reads, re-readable for a re-sent request; the
  // hash reads the same blob, so both cover the first `info.size` bytes of the file looked at.
  const blob = new FileBlob(absolute, 0, info.size, "", info);
  // Hashed once per source: a journal and the hash-first lookup ask for it in turn.
  let digest: Promise<string> | undefined;
  return {
    ...common,
    size: info.size,
    open: (): BinaryBody => blob,
    sha256() {
      digest ??= readingInput(path, () => sha256OfBlob(blob)).catch((error: unknown) => {
        digest = undefined;
        throw error;
      });
      return digest;
    },
  };
}

/**
 * A stream of unknown length (stdin, a socket) as a scan input: it is
 * spooled to a private temporary file first, because the gateway needs the
 * exact `Content-Length` up front. Call `dispose()` (or use `await using`)
 * to delete the spool file. When the stream fails or `signal` aborts while
 * spooling, the stream is destroyed, the spool file is deleted and the error
 * is thrown: nothing is left behind.
 *
 * @example
 * ```ts
 * await using input = await fromStream(process.stdin, { name: "upload.bin", signal });
 * const result = await scanFile(cluster, input);
 * ```
 */
export async function fromStream(
  stream: ReadableStream<Uint8Array> | NodeJS.ReadableStream,
  options: { name?: string; signal?: AbortSignal | undefined } = {},
): Promise<PathSource & AsyncDisposable & { dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "mdkit-spool-"));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    const file = join(dir, "spool");
    const readable =
      stream instanceof ReadableStream
        ? Readable.fromWeb(stream as import("node:stream/web").ReadableStream)
        : (stream as NodeJS.ReadableStream);
    const sink = createWriteStream(file, { mode: 0o600 }) as Writable;
    if (options.signal) await pipeline(readable, sink, { signal: options.signal });
    else await pipeline(readable, sink);
    const source = await fromPath(file, { name: options.name ?? "stdin" });
    return { ...source, key: undefined, dispose, [Symbol.asyncDispose]: dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, open, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type BinaryBody, FileBlob } from "@mdkit/core";
import { InvalidInputError } from "../errors.js";
import type { FileSource } from "../input.js";

/** Files up to this size are read into memory once instead of streamed (bounded by the run's prefetch). */
const SMALL_FILE_BYTES = 64 * 1024;

/** Bytes read at a time when hashing a file: one buffer, reused for the whole file. */
const HASH_READ_BYTES = 256 * 1024;

/**
 * SHA-256 of a file's first `size` bytes, read into one reused buffer: a
 * stream would allocate a new buffer per chunk, and a 1 GiB file would
 * leave tens of MB of garbage waiting for the collector.
 */
async function sha256OfFile(path: string, size: number): Promise<string> {
  const hash = createHash("sha256");
  const buffer = Buffer.allocUnsafe(Math.min(HASH_READ_BYTES, Math.max(1, size)));
  const handle = await open(path, "r");
  try {
    for (let position = 0; position < size; ) {
      const { bytesRead } = await handle.read(
        buffer,
        0,
        Math.min(buffer.length, size - position),
        position,
      );
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return hash.digest("hex");
}

/**
 * The whole content of a file that `stat` said is `size` bytes long, read
 * through one handle into one buffer (`readFile` would `fstat` it again and
 * grow its buffer in steps). A file that grew since is read to its end all
 * the same, as `readFile` would, so the upload and its hash always agree.
 */
async function readSmallFile(path: string, size: number): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    // Zeroed and never from the shared pool: the bytes go out as a body, with
    // nothing else in their memory. One byte more than `size` finds the end in one read.
    let buffer = Buffer.alloc(size + 1);
    let filled = 0;
    for (;;) {
      if (filled === buffer.length) {
        const grown = Buffer.alloc(buffer.length * 2);
        buffer.copy(grown);
        buffer = grown;
      }
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) return buffer.subarray(0, filled);
      filled += bytesRead;
    }
  } finally {
    await handle.close();
  }
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
    throw new InvalidInputError(`cannot read ${path}: ${error.code ?? error.message}`, {
      cause: error,
    });
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
    // Small files are read once: one read serves both the hash and the upload.
    const bytes = await readSmallFile(absolute, info.size);
    return {
      ...common,
      size: bytes.byteLength,
      open: (): BinaryBody => bytes,
      sha256: async () => createHash("sha256").update(bytes).digest("hex"),
    };
  }
  // Larger files stream from disk with zero-copy reads, re-readable for a re-sent request.
  const blob = new FileBlob(absolute, 0, info.size);
  // Hashed once per source: a journal and the hash-first lookup ask for it in turn.
  let digest: Promise<string> | undefined;
  const hashFile = () => sha256OfFile(absolute, info.size);
  return {
    ...common,
    size: info.size,
    open: (): BinaryBody => blob,
    sha256() {
      digest ??= hashFile().catch((error: unknown) => {
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

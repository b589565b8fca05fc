import { stat } from "node:fs/promises";
import { FileChangedError } from "./file-changed-error.js";
import { openRegularFile } from "./open-regular-file.js";
import type { FileIdentity } from "./regular-file-check.js";

const CHUNK_BYTES = 64 * 1024;

/**
 * A byte array with its own buffer: `Uint8Array<ArrayBuffer>` on TypeScript 5.7 and
 * later, `Uint8Array` before (not generic there), so the published types read on both.
 */
type FreshBytes = ReturnType<Uint8Array["slice"]>;

/**
 * A byte stream of a file range that reads straight into the consumer's
 * buffer (BYOB): no memory is allocated per chunk, so an upload of any size
 * keeps the process's memory flat. Non-BYOB readers get 64 KiB chunks. The
 * file is opened as {@link openRegularFile} does (never a FIFO or a device;
 * the `identity` one, when given), and a file that ends before the range
 * does fails the stream: it yields exactly `length` bytes, or an error.
 */
function fileByteStream(
  path: string,
  offset: number,
  length: number,
  identity: FileIdentity | undefined,
): ReadableStream<Uint8Array> {
  let handle: import("node:fs/promises").FileHandle | undefined;
  let position = offset;
  const end = offset + length;
  const close = async () => {
    const h = handle;
    handle = undefined;
    await h?.close();
  };
  return new ReadableStream({
    type: "bytes",
    autoAllocateChunkSize: CHUNK_BYTES,
    async start() {
      handle = await openRegularFile(path, identity);
    },
    async pull(controller) {
      const request = controller.byobRequest;
      const view = request?.view;
      if (!request || !view || !handle) return;
      try {
        const want = Math.min(view.byteLength, end - position);
        if (want === 0) {
          await close();
          controller.close();
          request.respond(0);
          return;
        }
        const { bytesRead } = await handle.read(view as Uint8Array, 0, want, position);
        if (bytesRead === 0)
          throw new FileChangedError(
            path,
            `it ended after ${position - offset} of the ${length} bytes it had`,
          );
        position += bytesRead;
        request.respond(bytesRead);
      } catch (error) {
        await close();
        throw error;
      }
    },
    cancel: close,
  });
}

/**
 * A `Blob` backed by a file on disk: `size` is known up front (so the
 * upload carries an exact `Content-Length`), `stream()` reads the file
 * afresh each time (so a request can be re-sent, e.g. after re-login) with
 * zero-copy BYOB reads. Prefer it to `fs.openAsBlob` for uploads: that one
 * allocates a buffer per chunk.
 */
export class FileBlob extends Blob {
  readonly #path: string;
  readonly #offset: number;
  readonly #length: number;
  readonly #identity: FileIdentity | undefined;

  /**
   * Use {@link openFileBlob}; this constructor trusts `length`. With
   * `identity` (the `fs.Stats` of the file as it was looked at), each read
   * checks that the path still names that file.
   */
  constructor(path: string, offset: number, length: number, type = "", identity?: FileIdentity) {
    super([], { type });
    this.#path = path;
    this.#offset = offset;
    this.#length = length;
    this.#identity = identity && { dev: identity.dev, ino: identity.ino };
  }

  /**
   * The byte length of the range. Declared as a property, as `Blob` declares it (a
   * getter in the published types breaks consumers whose `Blob` is @types/node's
   * class); the getter is installed on the prototype by the static block.
   */
  declare readonly size: number;

  static {
    Object.defineProperty(FileBlob.prototype, "size", {
      configurable: true,
      get(this: FileBlob) {
        return this.#length;
      },
    });
  }

  /** The file this blob reads. */
  get path(): string {
    return this.#path;
  }

  override stream(): ReturnType<Blob["stream"]> {
    return fileByteStream(this.#path, this.#offset, this.#length, this.#identity) as ReturnType<
      Blob["stream"]
    >;
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    return new Response(this.stream()).arrayBuffer();
  }

  override async bytes(): Promise<FreshBytes> {
    return new Uint8Array(await this.arrayBuffer());
  }

  override async text(): Promise<string> {
    return new Response(this.stream()).text();
  }

  override slice(start = 0, end = this.#length, type = ""): FileBlob {
    const clamp = (n: number) => Math.max(0, Math.min(this.#length, n < 0 ? this.#length + n : n));
    const from = clamp(start);
    const to = Math.max(from, clamp(end));
    return new FileBlob(this.#path, this.#offset + from, to - from, type, this.#identity);
  }
}

/**
 * Opens a file as a {@link FileBlob}: its size and identity are read now;
 * its bytes each time the blob is streamed, from that same file (a path
 * re-pointed since, or a file that shrank, fails the read with a
 * {@link FileChangedError}; one that grew is read up to the size it had).
 *
 * @example
 * ```ts
 * import { openFileBlob } from "@mdkit/core/node";
 * const body = await openFileBlob("./big.iso");
 * await cluster.POST("/file", { body, params: { header: { "Content-Length": body.size } } });
 * ```
 */
export async function openFileBlob(
  path: string,
  options: { type?: string } = {},
): Promise<FileBlob> {
  const info = await stat(path);
  if (!info.isFile()) throw new TypeError(`${path} is not a regular file`);
  return new FileBlob(path, 0, info.size, options.type, info);
}

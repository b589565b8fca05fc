/**
 * The "sanitized" copy of an upload under a sanitizing rule: a one-line
 * header followed by the original bytes. It is written to the simulator's
 * temporary directory while the upload streams in and streamed back from
 * disk on download, so neither direction holds the file in memory. The
 * temporary directory (and every copy) is removed by `close()`.
 */
import { type FileHandle, open, rm } from "node:fs/promises";
import { join } from "node:path";
import type { FileNode } from "./file-node.js";

/** The line that starts every sanitized copy. */
export function sanitizedHeader(dataId: string): Uint8Array {
  return new TextEncoder().encode(`MDKIT-SANITIZED data_id=${dataId}\n`);
}

/** `converted_destination` and `converted_to` of a sanitized file. */
export function convertedName(node: FileNode): { name: string; extension: string } {
  const base = node.name.split(/[\\/]/).pop() || node.dataId;
  const dot = base.lastIndexOf(".");
  const stem = dot > 0 ? base.slice(0, dot) : base;
  const ext = dot > 0 ? base.slice(dot) : "";
  return {
    name: `${stem}_sanitized_by_OPSWAT_MetaDefender_${node.dataId}${ext}`,
    extension: ext ? ext.slice(1).toLowerCase() : "bin",
  };
}

/** Writes the sanitized copy of one upload as its chunks arrive. */
export class SanitizedWriter {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  /** Creates the copy of upload `dataId` in `dir` and writes its header. */
  static async create(dir: string, dataId: string): Promise<SanitizedWriter> {
    const path = join(dir, `${dataId}.sanitized`);
    const handle = await open(path, "w");
    const writer = new SanitizedWriter(path, handle);
    await writer.write(sanitizedHeader(dataId));
    return writer;
  }

  /** Appends a chunk (resolves once written, so memory stays flat). */
  async write(chunk: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < chunk.byteLength) {
      const { bytesWritten } = await this.handle.write(chunk, offset);
      offset += bytesWritten;
    }
  }

  /** Finishes the copy. */
  async close(): Promise<void> {
    await this.handle.close();
  }

  /** Deletes an unfinished copy (failed upload). */
  async discard(): Promise<void> {
    await this.handle.close().catch(() => {});
    await rm(this.path, { force: true });
  }
}

/** A `Content-Disposition` value safe for any file name (RFC 6266 with an ASCII fallback). */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Streams a file from disk, 64 KiB at a time, as a response body. */
export function streamFromDisk(path: string): ReadableStream<Uint8Array> {
  let handle: FileHandle | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        handle ??= await open(path, "r");
        const buffer = new Uint8Array(64 * 1024);
        const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, null);
        if (bytesRead === 0) {
          await handle.close();
          controller.close();
        } else {
          controller.enqueue(buffer.subarray(0, bytesRead));
        }
      },
      async cancel() {
        await handle?.close();
      },
    },
    { highWaterMark: 0 },
  );
}

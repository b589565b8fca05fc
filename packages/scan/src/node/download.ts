import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join, resolve, sep } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type ClusterClient, unwrap } from "@mdkit/cluster";
import { InvalidInputError, ScanError } from "../errors.js";

/** Options of {@link downloadSanitized}. */
export interface DownloadOptions {
  /** Replace an existing file at the destination. Default false. */
  overwrite?: boolean;
  /** `converted` (default) for the sanitized file, `processed` for sanitized-or-DLP (`/file/download`). */
  kind?: "converted" | "processed";
  /** Cancels the download; the partial file is removed. */
  signal?: AbortSignal;
}

/** Where the file was written. */
export interface DownloadResult {
  /** Absolute path of the written file. */
  path: string;
  /** Bytes written. */
  bytes: number;
}

/**
 * The file name a `Content-Disposition` header suggests, if any (RFC 6266, `filename*` first).
 *
 * @example
 * ```ts
 * import { filenameFromContentDisposition } from "@mdkit/scan/node";
 *
 * filenameFromContentDisposition(`attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`); // "résumé.pdf"
 * filenameFromContentDisposition('attachment; filename="report.docx"'); // "report.docx"
 * ```
 */
export function filenameFromContentDisposition(header: string | null): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (extended?.[2]) {
    try {
      return decodeURIComponent(extended[2].trim());
    } catch {
      // fall through to the plain parameter
    }
  }
  const plain = /filename\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]+)/i.exec(header);
  if (!plain) return undefined;
  return (plain[2] ?? plain[1] ?? "").replace(/\\(.)/g, "$1").trim();
}

/**
 * Reduces a server-suggested name to a safe single file name: the last path
 * segment only, no control characters, never `.`/`..` or empty.
 *
 * @example
 * ```ts
 * import { safeFileName } from "@mdkit/scan/node";
 *
 * safeFileName("../../etc/passwd", "download.bin"); // "passwd"
 * safeFileName("..", "download.bin"); // "download.bin"
 * ```
 */
export function safeFileName(suggested: string | undefined, fallback: string): string {
  const last = (suggested ?? "").split(/[\\/]/).pop() ?? "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const cleaned = last.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return cleaned && cleaned !== "." && cleaned !== ".." ? cleaned : fallback;
}

async function isDirectory(path: string) {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/**
 * Streams the sanitized version of a file to disk atomically: the bytes go
 * to a temporary file beside the destination, which is renamed into place
 * only once complete (and as long as the server's `Content-Length`), so a
 * failed or aborted download never leaves a partial file.
 *
 * `destination` is a file path, or a directory (existing, or written with a
 * trailing `/`, then created): then the file
 * name comes from the server's `Content-Disposition`, reduced to a plain
 * name, and the download refuses to write anywhere but inside that directory.
 *
 * @example
 * ```ts
 * const { path } = await downloadSanitized(cluster, result.sanitized.dataId, "./clean/");
 * ```
 */
export async function downloadSanitized(
  client: ClusterClient,
  dataId: string,
  destination: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const route =
    options.kind === "processed" ? "/file/download/{data_id}" : "/file/converted/{data_id}";
  const response = await client.GET(route, {
    params: { path: { data_id: dataId } },
    parseAs: "stream",
    signal: options.signal,
  });
  const body = await unwrap(response);
  if (!body) throw new ScanError(`the gateway sent no body for ${dataId}`, { dataId });

  const intoDirectory =
    destination.endsWith("/") || destination.endsWith(sep) || (await isDirectory(destination));
  let target: string;
  if (intoDirectory) {
    const dir = resolve(destination);
    // A destination written as a directory (`out/`) is created if missing.
    await mkdir(dir, { recursive: true });
    const name = safeFileName(
      filenameFromContentDisposition(response.response.headers.get("content-disposition")),
      `${dataId}.sanitized`,
    );
    target = resolve(dir, name);
    if (dirname(target) !== dir) {
      await body.cancel();
      throw new InvalidInputError(`refusing to write ${name} outside ${dir}`, { dataId });
    }
  } else {
    target = resolve(destination);
  }
  if (!options.overwrite && (await stat(target).catch(() => undefined))) {
    await body.cancel();
    throw new InvalidInputError(`${target} exists; allow overwriting to replace it`, {
      dataId,
    });
  }

  const expected = Number(response.response.headers.get("content-length") ?? Number.NaN);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString("hex")}.part`);
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  const out = createWriteStream(temp, { flags: "wx", mode: 0o600 });
  try {
    await pipeline(
      Readable.fromWeb(body as import("node:stream/web").ReadableStream),
      counter,
      out,
      {
        signal: options.signal,
      },
    );
    if (Number.isFinite(expected) && bytes !== expected) {
      throw new ScanError(`download of ${dataId} ended after ${bytes} of ${expected} bytes`, {
        dataId,
      });
    }
    await rename(temp, target);
    return { path: target, bytes };
  } catch (error) {
    // The file is opened asynchronously: wait until the stream is closed, or a
    // late open would recreate the temporary file after it was removed.
    if (!out.closed) await new Promise<void>((resolve) => out.once("close", () => resolve()));
    await unlink(temp).catch(() => {});
    throw error;
  }
}

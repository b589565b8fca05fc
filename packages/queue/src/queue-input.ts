import { createHash } from "node:crypto";
import { basename } from "node:path";
import { fromPath, nodeSha256 } from "@mdkit/scan/node";
import { QueueInputError } from "./errors.js";
import { boundedDownload, type DownloadLimits } from "./internal/bounded-download.js";
import type { JobSource } from "./job-data.js";

/**
 * What `add()` takes. File bytes never go into Redis: a job points at them.
 * - a path (string or `{ path, name? }`): a file on a filesystem every worker
 *   mounts at the same absolute path; the producer reads it once to hash it;
 * - `{ url, sha256?, name? }`: an `http:`/`https:` URL every worker can
 *   download (stored in Redis as given: no credentials in it); without
 *   `sha256`, the producer downloads it once to hash it.
 */
export type QueueInput =
  | string
  | { path: string; name?: string | undefined }
  | { url: string | URL; sha256?: string | undefined; name?: string | undefined };

/** An input resolved to what a job records. */
export interface PreparedInput {
  /** Where the bytes are. */
  source: JobSource;
  /** Display name. */
  name: string;
  /** SHA-256 of the content (hex, lower case). */
  sha256: string;
  /** Size in bytes, when known. */
  size: number | undefined;
}

const SHA256 = /^[0-9a-f]{64}$/i;

/** Downloads a URL once, within `limits`, to learn its SHA-256 and size. */
async function hashUrl(url: string, limits: DownloadLimits, signal: AbortSignal | undefined) {
  const download = await boundedDownload(url, "downloading a URL to hash it", limits, signal);
  try {
    const hash = createHash("sha256");
    let size = 0;
    for await (const chunk of download.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      hash.update(chunk);
    }
    return { sha256: hash.digest("hex"), size };
  } finally {
    download.dispose();
  }
}

/** Resolves an input: an absolute path or a checked URL, a name, the content's SHA-256. */
export async function prepareInput(
  input: QueueInput,
  limits: DownloadLimits,
  signal: AbortSignal | undefined,
): Promise<PreparedInput> {
  if (typeof input === "string" || "path" in input) {
    const { path, name } = typeof input === "string" ? { path: input, name: undefined } : input;
    const file = await fromPath(path, name === undefined ? {} : { name });
    const sha256 = await file.sha256!(nodeSha256);
    return {
      source: { kind: "path", path: file.path },
      name: file.name ?? basename(file.path),
      sha256,
      size: file.size,
    };
  }
  const url = new URL(String(input.url));
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new QueueInputError(`a URL input must be http: or https:, not ${url.protocol}`);
  }
  if (input.sha256 !== undefined && !SHA256.test(input.sha256)) {
    throw new QueueInputError("`sha256` must be 64 hexadecimal characters");
  }
  const known = input.sha256 ? { sha256: input.sha256.toLowerCase(), size: undefined } : undefined;
  const { sha256, size } = known ?? (await hashUrl(url.href, limits, signal));
  const name =
    input.name ?? (decodeURIComponent(url.pathname.split("/").pop() ?? "") || "download");
  return { source: { kind: "url", url: url.href }, name, sha256, size };
}

import type { FileSource, Sha256Hasher } from "@mdkit/scan";
import { fromPath, fromStream, nodeSha256 } from "@mdkit/scan/node";
import { ContentChangedError } from "../errors.js";
import type { ScanJobData } from "../job-data.js";
import { boundedDownload, type DownloadLimits } from "./bounded-download.js";

/** A job's bytes as a scan input, and how to let go of them. */
export interface OpenedSource {
  /** The input; its `sha256()` fails with `ContentChangedError` unless the bytes are the queued ones. */
  source: FileSource;
  /** Deletes a spool file, if one was made. */
  dispose(): Promise<void>;
}

/** `source` whose hash is computed once and must be `expected`. */
function verified(source: FileSource, expected: string, what: string): FileSource {
  let hashed: Promise<string> | undefined;
  const check = async (hasher: Sha256Hasher) => {
    const actual = source.sha256 ? await source.sha256(hasher) : expected;
    if (actual !== expected) {
      throw new ContentChangedError(
        `${what} changed since it was queued (SHA-256 ${actual}, queued ${expected}); re-add it to scan the new content`,
        expected,
        actual,
      );
    }
    return actual;
  };
  return {
    name: source.name,
    size: source.size,
    replayable: source.replayable,
    key: source.key,
    open: () => source.open(),
    sha256: (hasher) => {
      hashed ??= check(hasher);
      return hashed;
    },
  };
}

/**
 * Opens what a job points at: a path on the shared filesystem, or a URL
 * downloaded to a private spool file (the gateway needs the exact size
 * before the upload), within `limits` and never past the size recorded at
 * `add()`. The bytes are checked against the SHA-256 recorded then before
 * anything is uploaded.
 */
export async function openJobSource(
  data: ScanJobData,
  limits: DownloadLimits,
  signal: AbortSignal | undefined,
): Promise<OpenedSource> {
  if (data.source.kind === "path") {
    const file = await fromPath(data.source.path, { name: data.name });
    const source = verified(file, data.sha256, data.source.path);
    await source.sha256?.(nodeSha256);
    return { source, dispose: async () => {} };
  }
  // More bytes than were queued cannot be the queued content: the download stops there.
  const maxBytes = Math.min(limits.maxBytes, data.size ?? limits.maxBytes);
  const download = await boundedDownload(
    data.source.url,
    "downloading the job's URL",
    { ...limits, maxBytes },
    signal,
  );
  let spool: Awaited<ReturnType<typeof fromStream>>;
  try {
    spool = await fromStream(download.body, { name: data.name, signal });
  } finally {
    download.dispose();
  }
  try {
    const source = verified(spool, data.sha256, "the downloaded content");
    await source.sha256?.(nodeSha256);
    return { source, dispose: () => spool.dispose() };
  } catch (error) {
    await spool.dispose();
    throw error;
  }
}

import type { FileSource, Sha256Hasher } from "@mdkit/scan";
import { fromPath, fromStream, nodeSha256 } from "@mdkit/scan/node";
import { ContentChangedError, QueueInputError } from "../errors.js";
import type { ScanJobData } from "../job-data.js";

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
 * before the upload). The bytes are checked against the SHA-256 recorded at
 * `add()` before anything is uploaded.
 */
export async function openJobSource(
  data: ScanJobData,
  signal: AbortSignal | undefined,
): Promise<OpenedSource> {
  if (data.source.kind === "path") {
    const file = await fromPath(data.source.path, { name: data.name });
    const source = verified(file, data.sha256, data.source.path);
    await source.sha256?.(nodeSha256);
    return { source, dispose: async () => {} };
  }
  const response = await fetch(data.source.url, { signal, redirect: "follow" });
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => {});
    throw new QueueInputError(`could not download the job's URL: HTTP ${response.status}`);
  }
  const spool = await fromStream(response.body, { name: data.name });
  try {
    const source = verified(spool, data.sha256, "the downloaded content");
    await source.sha256?.(nodeSha256);
    return { source, dispose: () => spool.dispose() };
  } catch (error) {
    await spool.dispose();
    throw error;
  }
}

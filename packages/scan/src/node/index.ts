/**
 * Everything of `@mdkit/scan`, plus what needs Node: paths and directories as
 * inputs (with include/exclude globs), streams of unknown length spooled to a
 * temporary file, SHA-256 by `node:crypto`, a resumable journal, atomic
 * sanitized downloads and batch certificate verification. `scanFile`,
 * `scanFiles` and `scanBatch` here accept path strings and use these by default.
 *
 * @module @mdkit/scan/node
 */
import type { ClusterClient } from "@mdkit/cluster";
import {
  type BatchResult,
  type BatchResultOptions,
  resumeBatch as portableResumeBatch,
  scanBatch as portableScanBatch,
  type ResumeBatchOptions,
  type ScanBatchOptions,
} from "../batch.js";
import { type ScanInput, unreadableInput } from "../input.js";
import { runScanFiles } from "../internal/files-run.js";
import { readAhead } from "../internal/read-ahead.js";
import type { ScanResult } from "../result.js";
import { scanFile as portableScanFile, type ScanFileOptions } from "../scan-file.js";
import type { ScanFilesItem, ScanFilesOptions } from "../scan-files.js";
import { verifyBatchCertificate } from "./certificate.js";
import { fromPath } from "./file-source.js";
import { nodeSha256 } from "./hash.js";
import type { ScanJournal } from "./journal.js";
import { readSignedBatchResult } from "./signed-document.js";
import { skippedEntryError, type WalkOptions, walkEntries } from "./walk.js";

export * from "../index.js";
export {
  type CallbackReceiverOptions,
  createCallbackReceiver,
  type NodeCallbackReceiver,
} from "./callback-receiver.js";
export {
  normalizeFingerprint,
  type VerifiedBatchCertificate,
  type VerifyOptions,
  verifyBatchCertificate,
} from "./certificate.js";
export {
  type DownloadOptions,
  type DownloadResult,
  downloadSanitized,
  filenameFromContentDisposition,
  safeFileName,
} from "./download.js";
export { fromPath, fromStream, type PathSource } from "./file-source.js";
export { nodeSha256 } from "./hash.js";
export { ScanJournal } from "./journal.js";
export {
  type SkippedEntry,
  skippedEntryError,
  type WalkEntry,
  type WalkOptions,
  walkEntries,
  walkFiles,
} from "./walk.js";

/** A scan input, or a path to a file. */
export type NodeScanInput = ScanInput | string;

const toInput = async (input: NodeScanInput): Promise<ScanInput> =>
  typeof input === "string" ? fromPath(input) : input;

/**
 * `scanFile` that also takes a path, hashing with `node:crypto`.
 *
 * @example
 * ```ts
 * const result = await scanFile(cluster, "./invoice.pdf", { rule: "multiscan" });
 * ```
 */
export async function scanFile(
  client: ClusterClient,
  input: NodeScanInput,
  options: ScanFileOptions = {},
): Promise<ScanResult> {
  return portableScanFile(client, await toInput(input), { hasher: nodeSha256, ...options });
}

/** Options of the Node `scanFiles`: a journal to resume from, besides the portable options. */
export interface NodeScanFilesOptions extends ScanFilesOptions {
  /** Records accepted and finished files, so an interrupted run resumes without re-uploading. */
  journal?: ScanJournal | undefined;
}

/** Paths opened ahead of the run: their file I/O overlaps, at most this many files held. */
const OPEN_AHEAD = 4;

function inputsOf(
  inputs: Iterable<NodeScanInput> | AsyncIterable<NodeScanInput>,
): AsyncGenerator<ScanInput> {
  // A path that cannot be opened is that input's failure, not the run's.
  return readAhead(inputs, (input) => toInput(input).catch(unreadableInput), OPEN_AHEAD);
}

/**
 * `scanFiles` that also takes paths (opened lazily as concurrency allows,
 * a few ahead so that their reads overlap) and an optional journal.
 *
 * @example
 * ```ts
 * await using journal = await ScanJournal.open("inbox.journal");
 * for await (const item of scanFiles(cluster, walkFiles("./inbox"), { journal })) console.log(item);
 * ```
 */
export async function* scanFiles(
  client: ClusterClient,
  inputs: Iterable<NodeScanInput> | AsyncIterable<NodeScanInput>,
  options: NodeScanFilesOptions = {},
): AsyncGenerator<ScanFilesItem> {
  const { journal, ...rest } = options;
  const run = runScanFiles(
    client,
    inputsOf(inputs),
    {
      ...(Array.isArray(inputs) ? { total: inputs.length } : {}),
      hasher: nodeSha256,
      ...rest,
      resume: rest.resume ?? (journal ? (source) => journal.resume(source) : undefined),
      onSubmitted: async (source, dataId) => {
        await journal?.submitted(source, dataId);
        await rest.onSubmitted?.(source, dataId);
      },
    },
    // The journal records the intent to upload, so that a run killed before
    // it learns the `data_id` looks the hash up instead of uploading again.
    journal ? { onUploading: (source, sha256) => journal.uploading(source, sha256) } : {},
  );
  for await (const item of run) {
    await journal?.finished(item);
    yield item;
  }
}

/** The files of a walk as scan inputs; a skipped entry as a failing input, unless `onSkipped` takes it. */
async function* walkInputs(root: string, options: WalkOptions): AsyncGenerator<NodeScanInput> {
  const { onSkipped, ...filters } = options;
  for await (const entry of walkEntries(root, filters)) {
    if (entry.kind === "file") yield entry.path;
    else if (onSkipped) onSkipped(entry);
    else yield unreadableInput(skippedEntryError(entry));
  }
}

/**
 * Scans every file under a directory (see {@link walkFiles} for the globs).
 * An entry that is not scanned (symbolic link, FIFO, socket, device,
 * unreadable directory) yields a failed item with a `SkippedEntryError`, so
 * that a run over a folder never passes while part of it went unseen; pass
 * `onSkipped` to handle such entries yourself instead.
 *
 * @example
 * ```ts
 * for await (const item of scanDirectory(cluster, "./inbox", { include: ["**\/*.pdf"] })) {
 *   if (!item.ok || !item.result.clean) process.exitCode = 1;
 * }
 * ```
 */
export function scanDirectory(
  client: ClusterClient,
  root: string,
  options: NodeScanFilesOptions & WalkOptions = {},
): AsyncGenerator<ScanFilesItem> {
  const { include, exclude, dot, onSkipped, ...rest } = options;
  return scanFiles(
    client,
    walkInputs(root, {
      ...(include ? { include } : {}),
      ...(exclude ? { exclude } : {}),
      ...(dot !== undefined ? { dot } : {}),
      onSkipped,
    }),
    rest,
  );
}

/**
 * `scanBatch` that also takes paths, hashes with `node:crypto` and verifies
 * the certificate with `node:crypto` by default (`verifyBatchCertificate`,
 * pinned to `expectedFingerprint` when given).
 *
 * @example
 * ```ts
 * const batch = await scanBatch(cluster, ["a.pdf", "b.docx"], { expectedFingerprint: pinnedSha256 });
 * if (batch.verdict !== "clean") process.exitCode = 1;
 * ```
 */
export async function scanBatch(
  client: ClusterClient,
  inputs: Iterable<NodeScanInput>,
  options: ScanBatchOptions = {},
): Promise<BatchResult> {
  const resolved = await Promise.all([...inputs].map(toInput));
  return portableScanBatch(client, resolved, {
    ...nodeCertificateChecks,
    hasher: nodeSha256,
    ...options,
  });
}

/** The certificate checks of the Node entry: `node:crypto` verification, and a YAML reader for `verifyCertificate: false`. */
const nodeCertificateChecks: Pick<BatchResultOptions, "verifyCertificate" | "readSignedResult"> = {
  verifyCertificate: (yaml, verifyOptions) => verifyBatchCertificate(yaml, verifyOptions),
  readSignedResult: readSignedBatchResult,
};

/**
 * `resumeBatch` that verifies the certificate with `node:crypto` by default
 * (`verifyBatchCertificate`, pinned to `expectedFingerprint` when given).
 *
 * @example
 * ```ts
 * const batch = await resumeBatch(cluster, error.batchId, { expectedFingerprint: pinnedSha256 });
 * if (batch.verdict !== "clean") process.exitCode = 1;
 * ```
 */
export function resumeBatch(
  client: ClusterClient,
  batchId: string,
  options: ResumeBatchOptions = {},
): Promise<BatchResult> {
  return portableResumeBatch(client, batchId, { ...nodeCertificateChecks, ...options });
}

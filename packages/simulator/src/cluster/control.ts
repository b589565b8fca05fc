/**
 * What tests and benchmarks can see and do beside the HTTP API: expire
 * sessions, inspect files, batches and recorded callbacks, read the signing
 * certificate.
 */
import { type Batch, type BatchState, batchStateAt } from "./batch-store.js";
import { type FileNode, submissionOf } from "./file-node.js";
import { type FileState, stateAt } from "./file-state.js";
import type { Gateway, RecordedCallback } from "./gateway.js";

/** What a test can see of one analysed file. */
export interface ClusterFileInfo {
  dataId: string;
  /** The upload it came from (`undefined` for an upload itself). */
  parentId: string | undefined;
  displayName: string;
  size: number;
  md5: string;
  sha1: string;
  sha256: string;
  rule: string;
  userAgent: string;
  username: string;
  batchId: string | undefined;
  /** The `metadata` header of the upload, parsed. */
  metadata: Record<string, unknown> | undefined;
  /** Whether the upload came with an `archivepwd` header. */
  archivePassword: boolean;
  /** The `callbackurl` of the upload (recorded, never called). */
  callbackUrl: string | undefined;
  /** The state now: progress, verdict (`code`), cancellation. */
  state: FileState;
  /** Number of files extracted from it. */
  childCount: number;
  /** Where its sanitized copy is on disk, for sanitizing rules. */
  sanitizedPath: string | undefined;
}

/** What a test can see of one batch. */
export interface ClusterBatchInfo {
  batchId: string;
  rule: string;
  userData: string;
  closed: boolean;
  cancelled: boolean;
  /** `data_id`s of its files, in upload order. */
  dataIds: string[];
  state: BatchState;
}

/** Controls and inspection of the simulated Cluster gateway. */
export interface ClusterControl {
  /** Invalidates every login session (the next call with one gets 401). */
  expireSessions(): void;
  /** Live login sessions. */
  readonly sessionCount: number;
  /** One analysed file (an upload or a file extracted from an archive). */
  file(dataId: string): ClusterFileInfo | undefined;
  /** One batch. */
  batch(batchId: string): ClusterBatchInfo | undefined;
  /** Every batch, in creation order. */
  readonly batches: ClusterBatchInfo[];
  /** The `callbackurl`s received, in order. The simulator never calls them. */
  readonly callbacks: readonly RecordedCallback[];
  /** The PEM certificate that signs batch results (created on first use). */
  signingCertificate(): Promise<string>;
  /**
   * Fingerprints of that certificate (lowercase hex, created on first use),
   * e.g. to pin the signer: `scanBatch(..., { expectedFingerprint: sha256 })`.
   */
  signingFingerprints(): Promise<{ sha1: string; sha256: string }>;
}

function fileInfo(node: FileNode, now: number): ClusterFileInfo {
  const submission = submissionOf(node);
  return {
    dataId: node.dataId,
    parentId: node.parent?.dataId,
    displayName: node.name,
    size: node.size,
    md5: node.md5,
    sha1: node.sha1,
    sha256: node.sha256,
    rule: submission.rule.name,
    userAgent: submission.userAgent,
    username: submission.username,
    batchId: submission.batchId,
    metadata: submission.metadata,
    archivePassword: submission.archivePassword,
    callbackUrl: submission.callbackUrl,
    state: stateAt(node, now),
    childCount: node.children?.length ?? 0,
    sanitizedPath: node.parent ? undefined : submission.sanitizedPath,
  };
}

function batchInfo(batch: Batch, now: number): ClusterBatchInfo {
  return {
    batchId: batch.id,
    rule: batch.rule.name,
    userData: batch.userData,
    closed: batch.closed,
    cancelled: batch.cancelledAt !== undefined,
    dataIds: batch.files.map((file) => file.dataId),
    state: batchStateAt(batch, now),
  };
}

/** The control of one gateway. */
export function createControl(gateway: Gateway): ClusterControl {
  const { ctx } = gateway;
  return {
    expireSessions: () => gateway.sessions.clear(),
    get sessionCount() {
      return gateway.sessions.size;
    },
    file(dataId) {
      const node = gateway.files.get(dataId);
      return node ? fileInfo(node, ctx.now()) : undefined;
    },
    batch(batchId) {
      const batch = gateway.batches.get(batchId);
      return batch ? batchInfo(batch, ctx.now()) : undefined;
    },
    get batches() {
      return [...gateway.batches.values()].map((batch) => batchInfo(batch, ctx.now()));
    },
    get callbacks() {
      return gateway.callbacks;
    },
    signingCertificate: async () => (await gateway.signer.load()).certificatePem,
    async signingFingerprints() {
      const { fingerprint, fingerprint256 } = await gateway.signer.load();
      return { sha1: fingerprint, sha256: fingerprint256 };
    },
  };
}

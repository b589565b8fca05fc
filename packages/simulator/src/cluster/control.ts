/**
 * What tests and benchmarks can see and do beside the HTTP API: expire
 * sessions, inspect files, batches and recorded callbacks, read the signing
 * certificate.
 */
import type { BatchState } from "./batch-store.js";
import type { FileState } from "./file-state.js";
import type { RecordedCallback } from "./recorded-callback.js";

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

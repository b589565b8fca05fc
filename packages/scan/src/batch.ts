import { type BatchStatus, type ClusterClient, unwrap } from "@mdkit/cluster";
import { type Clock, systemClock } from "@mdkit/core";
import { type BatchFileResult, batchEvidence, type SubmittedFile } from "./batch-evidence.js";
import { ScanAbortedError } from "./errors.js";
import type { Sha256Hasher } from "./hash.js";
import { type ScanInput, toFileSource } from "./input.js";
import { checkCertificateOptions, fetchCertificate } from "./internal/batch-certificate.js";
import {
  type BatchRun,
  batchDeadline,
  batchFailure,
  batchTimeout,
  cancelBatch,
  failedUploads,
  failureBeforeBatch,
} from "./internal/batch-run.js";
import { allStatusEntries, waitForBatch } from "./internal/batch-status.js";
import { uploadIntoBatch } from "./internal/batch-uploads.js";
import { checkServerId } from "./internal/ids.js";
import { AdaptiveLimiter, type ConcurrencyLimiter } from "./limiter.js";
import { checkFileSize } from "./rules.js";
import type { Verdict } from "./verdict.js";

export type { BatchFileResult, SubmittedFile } from "./batch-evidence.js";

/** What a certificate verifier returns (see `verifyBatchCertificate` in `@mdkit/scan/node`). */
export interface CertificateCheck {
  /** SHA-1 fingerprint of the signing certificate, lower-case hex. */
  fingerprint: string;
  /** SHA-256 fingerprint of the signing certificate, lower-case hex, when the verifier computed it. */
  fingerprint256?: string | undefined;
  /** Whether the signer was compared with `expectedFingerprint` and matched. */
  pinned: boolean;
  /** The signed batch result (the first YAML document), parsed: the batch verdict comes from it. */
  result: Record<string, unknown>;
}

/**
 * What was established about the batch's signed result:
 * - `pinned`: the signature verifies and the signer is the expected one
 *   (`expectedFingerprint`): the result is the signer's word.
 * - `unpinned`: the signature verifies against the certificate the same
 *   response embeds, which nobody vouched for: the result is consistent with
 *   itself, but a hostile gateway could have signed it with a key of its own.
 *   Never call this "verified".
 * - `unverified`: the signature was not checked (`verifyCertificate: false`).
 */
export interface BatchCertificate {
  status: "pinned" | "unpinned" | "unverified";
  /** SHA-1 fingerprint of the signer (lower-case hex), when checked. */
  fingerprint: string | undefined;
  /** SHA-256 fingerprint of the signer (lower-case hex), when the verifier computed it. */
  fingerprint256: string | undefined;
  /** The signed result as the gateway sent it (YAML), e.g. to archive it. */
  text: string;
}

/** The outcome of {@link scanBatch} and {@link resumeBatch}. */
export interface BatchResult {
  batchId: string;
  /**
   * The batch's verdict, from its signed result: the worst of its overall
   * verdict and its files'. Only `"clean"` is clean, and only when every
   * submitted file is in the signed result and the status agrees with it.
   */
  verdict: Verdict;
  /** Every submitted file in submission order (then any file the signed result adds), as signed. */
  files: BatchFileResult[];
  /** The signed result and what was established about its signer. */
  certificate: BatchCertificate;
  /** Where the evidence disagrees (status vs signed result, file list, batch id); empty when it agrees. */
  contradictions: string[];
  /** The final batch status (first page): unsigned, for information only. */
  raw: BatchStatus;
}

/** Progress of a batch: files uploaded, then the batch's analysis percent. */
export interface BatchProgress {
  phase: "upload" | "analysis";
  /** Files uploaded so far (upload phase). */
  uploaded?: number;
  /** Files to upload (upload phase). */
  total?: number;
  /** Analysis progress 0–100 (analysis phase). */
  percent?: number;
}

/** What {@link scanBatch} and {@link resumeBatch} share: waiting for the batch and reading its signed result. */
export interface BatchResultOptions {
  /**
   * Hard deadline, ms: every request and wait ends by then, with a
   * `ScanTimeoutError` naming the batch (`batchId`), which is not clean.
   * For `scanBatch` it covers the uploads, closing, polling, paging and the
   * certificate. Default 600,000.
   */
  timeoutMs?: number | undefined;
  /** Cancels: local work stops and the batch is cancelled on the server. */
  signal?: AbortSignal | undefined;
  /** `metadata` header of the certificate request, e.g. `{ include_vul_info: true }`. */
  certificateMetadata?: Record<string, unknown> | undefined;
  /**
   * The signer to accept: the SHA-1 or SHA-256 fingerprint of the batch
   * signing certificate (hex, any case, colons allowed). With it the
   * certificate is `pinned` (any other signer is a `CertificateVerificationError`);
   * without it, `unpinned`. Default: none.
   */
  expectedFingerprint?: string | undefined;
  /**
   * Verifies the signed result (and the pin, when given); must throw when it
   * does not verify. The Node entry passes `verifyBatchCertificate` by
   * default. `false` skips it (not advised: the certificate is `unverified`).
   */
  verifyCertificate?:
    | ((
        yaml: string,
        options: { expectedFingerprint?: string | undefined },
      ) => CertificateCheck | Promise<CertificateCheck>)
    | false
    | undefined;
  /**
   * Reads the signed result (YAML) without checking it, for
   * `verifyCertificate: false`; must throw on an ambiguous document. The
   * portable entry ships no YAML parser: the Node entry passes one by
   * default. Default: none (then a verifier is required).
   */
  readSignedResult?: ((yaml: string) => Record<string, unknown>) | undefined;
  /** Progress: files uploaded, then batch analysis percent. */
  onProgress?: ((progress: BatchProgress) => void) | undefined;
  /** The clock of every wait (between polls, busy answers, the deadline). Default the system clock. */
  clock?: Clock | undefined;
}

/** Options of {@link scanBatch}. Delays in milliseconds. */
export interface ScanBatchOptions extends BatchResultOptions {
  /** Name of the batch (`user-data`; sent URL-encoded, at most 1024 bytes). */
  userData?: string | undefined;
  /** Rule for every file of the batch. */
  rule?: string | undefined;
  /**
   * Most uploads in flight at once, the start and ceiling of the batch's own
   * adaptive limit (a 503 "busy" lowers it; waiting it out never fails a
   * file). Default 4. Ignored when `limiter` is given.
   */
  concurrency?: number | undefined;
  /**
   * A concurrency limit on the gateway shared with other scans: each upload
   * holds one slot while it is sent. Default: one of the batch's own (see
   * `concurrency`).
   */
  limiter?: ConcurrencyLimiter | undefined;
  /** How many "busy" answers (503/429) to wait out per upload. Default: as many as the deadline allows. */
  maxBusyRetries?: number | undefined;
  /** SHA-256 of each file, compared with the signed result's. Default: portable; the Node entry uses `node:crypto`. */
  hasher?: Sha256Hasher | undefined;
  /**
   * Called with each file the gateway accepted into the batch: record them
   * to give `resumeBatch` the list of what was sent.
   */
  onSubmitted?: ((file: SubmittedFile) => void | Promise<void>) | undefined;
}

/** Options of {@link resumeBatch}. */
export interface ResumeBatchOptions extends BatchResultOptions {
  /**
   * The files put into the batch, as `onSubmitted` reported them: each must
   * be in the signed result (with the same SHA-256), and nothing else may
   * be. Without it the signed file list is taken as it is.
   */
  submitted?: readonly SubmittedFile[] | undefined;
}

/** Waits for a closed batch to finish, then reads and checks its evidence. */
async function finishBatch(
  run: BatchRun,
  submitted: readonly SubmittedFile[] | undefined,
): Promise<BatchResult> {
  const { client, batchId, deadline } = run;
  if (!(await waitForBatch(run))) throw batchTimeout(run);
  const { entries, raw } = await allStatusEntries(client, batchId, deadline.signal);
  const { certificate, result } = await fetchCertificate(run);
  const evidence = batchEvidence(
    batchId,
    submitted,
    { summary: raw as Record<string, unknown>, entries },
    result,
  );
  return { batchId, ...evidence, certificate, raw };
}

/** Runs `work` on a batch that exists: any failure names it, an abort cancels it on the gateway. */
async function onBatch<T>(run: BatchRun, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const failure = batchFailure(run, error);
    if (failure instanceof ScanAbortedError) await cancelBatch(run.client, run.batchId);
    throw failure;
  } finally {
    run.deadline.dispose();
  }
}

/** Creates the batch (`POST /file/batch`) and returns its id, checked. */
async function createBatch(
  client: ClusterClient,
  options: ScanBatchOptions,
  signal: AbortSignal,
): Promise<string> {
  const header: Record<string, string> = {};
  if (options.rule) header.rule = encodeURIComponent(options.rule);
  if (options.userData) header["user-data"] = encodeURIComponent(options.userData);
  const created: unknown = await unwrap(client.POST("/file/batch", { params: { header }, signal }));
  return checkServerId(
    typeof created === "object" && created
      ? (created as { batch_id?: unknown }).batch_id
      : undefined,
    "batch_id",
    "the gateway's answer to the batch creation",
  );
}

/**
 * Scans files as one batch and returns every file's verdict from the
 * batch's signed result: creates the batch, uploads the files into it
 * (exact `Content-Length`, through an adaptive limit: a 503 "busy" slows
 * the uploads down and never fails a file), closes it, waits until it
 * finishes (polling as the shared retry policy allows), pages through its
 * status, downloads the signed result and checks its signature (against the
 * pinned signer with `expectedFingerprint`).
 *
 * The verdict and the file list come from the signed result, not from the
 * unsigned status: every submitted `data_id` must be in it (a missing one is
 * a `failed` file), and a status that disagrees with it keeps the batch from
 * being clean (see `contradictions`).
 *
 * Once the batch exists every error names it (`batchId`): a failed upload
 * cancels it (an incomplete batch is worthless), an abort cancels it, and a
 * `ScanTimeoutError` or `BatchError` after the uploads leaves it running,
 * for {@link resumeBatch} to pick up.
 *
 * @throws {CertificateVerificationError} when the signature does not verify, or
 *   the signer is not the one `expectedFingerprint` names.
 * @throws {ScanTimeoutError} when `timeoutMs` passes first (with `batchId` once the batch exists).
 * @throws {BatchError} when the batch failed for another reason (`cause` says why).
 * @example
 * ```ts
 * import { scanBatch } from "@mdkit/scan/node";
 * const batch = await scanBatch(cluster, ["a.pdf", "b.docx"], {
 *   userData: "release 1.4",
 *   expectedFingerprint: process.env.MDKIT_BATCH_CERT_FINGERPRINT,
 * });
 * console.log(batch.verdict, batch.certificate.status); // "clean" "pinned"
 * ```
 */
export async function scanBatch(
  client: ClusterClient,
  inputs: Iterable<ScanInput>,
  options: ScanBatchOptions = {},
): Promise<BatchResult> {
  checkCertificateOptions(options);
  const clock = options.clock ?? systemClock;
  const sources = [...inputs].map(toFileSource);
  const deadline = batchDeadline(options, clock);
  let batchId: string | undefined;
  try {
    if (options.rule) {
      // Every file is checked against the rule's size limit before the batch exists.
      const rules = await unwrap(client.GET("/file/rules", { signal: deadline.signal }));
      for (const source of sources) checkFileSize(rules, options.rule, source.size, source.name);
    }
    batchId = await createBatch(client, options, deadline.signal);
  } catch (error) {
    throw failureBeforeBatch(options, deadline, error);
  } finally {
    if (batchId === undefined) deadline.dispose();
  }
  const run: BatchRun = { client, batchId: batchId as string, options, deadline, clock };
  return onBatch(run, async () => {
    const max = Math.max(1, options.concurrency ?? 4);
    const limiter = options.limiter ?? new AdaptiveLimiter({ initial: max, max, clock });
    const submitted = await uploadIntoBatch({ ...run, options }, sources, limiter).catch(
      (error: unknown) => failedUploads(run, error),
    );
    await unwrap(
      client.POST("/file/batch/{batchId}/close", {
        params: { path: { batchId } },
        signal: deadline.signal,
      }),
    );
    return finishBatch(run, submitted);
  });
}

/**
 * Picks up a batch created earlier — after a `ScanTimeoutError` or
 * `BatchError` carrying its `batchId`, or in another process — waits until
 * it finishes and returns its verdict from its signed result, exactly as
 * {@link scanBatch} does. Give `submitted` (what `onSubmitted` recorded) so
 * that every file sent must be in the signed result.
 *
 * @throws {InvalidDataIdError} when `batchId` is not a plain token (nothing is requested).
 * @throws {ScanTimeoutError} when `timeoutMs` passes first (with `batchId`).
 * @throws {BatchError} when the batch failed for another reason, e.g. the
 *   gateway does not know it (`cause` says why).
 * @example
 * ```ts
 * import { resumeBatch, ScanTimeoutError } from "@mdkit/scan/node";
 * try {
 *   await scanBatch(cluster, paths, { timeoutMs: 60_000 });
 * } catch (error) {
 *   if (!(error instanceof ScanTimeoutError) || !error.batchId) throw error;
 *   const batch = await resumeBatch(cluster, error.batchId, { timeoutMs: 600_000 });
 *   console.log(batch.verdict);
 * }
 * ```
 */
export async function resumeBatch(
  client: ClusterClient,
  batchId: string,
  options: ResumeBatchOptions = {},
): Promise<BatchResult> {
  checkServerId(batchId, "batch_id", "the batch to resume");
  checkCertificateOptions(options);
  const clock = options.clock ?? systemClock;
  const run: BatchRun = {
    client,
    batchId,
    options,
    deadline: batchDeadline(options, clock),
    clock,
  };
  return onBatch(run, () => finishBatch(run, options.submitted));
}

import { type BatchStatus, type ClusterClient, unwrap } from "@mdkit/cluster";
import { type BatchFileResult, batchEvidence, type SubmittedFile } from "./batch-evidence.js";
import {
  CertificateVerificationError,
  InvalidInputError,
  ScanAbortedError,
  ScanTimeoutError,
} from "./errors.js";
import { portableSha256, type Sha256Hasher } from "./hash.js";
import { type FileSource, type ScanInput, toFileSource } from "./input.js";
import { checkServerId } from "./internal/ids.js";
import { splitSignedBatch } from "./internal/signed-document.js";
import { backoffDelay, sleep } from "./internal/timing.js";
import { checkFileSize } from "./rules.js";
import { uploadFile } from "./upload.js";
import type { Verdict } from "./verdict.js";

export type { BatchFileResult } from "./batch-evidence.js";

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

/** The outcome of {@link scanBatch}. */
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

/** Options of {@link scanBatch}. Delays in milliseconds. */
export interface ScanBatchOptions {
  /** Name of the batch (`user-data`; sent URL-encoded, at most 1024 bytes). */
  userData?: string;
  /** Rule for every file of the batch. */
  rule?: string;
  /** Uploads in flight at once. Default 4. */
  concurrency?: number;
  /** Give up waiting after this long (`ScanTimeoutError`; the batch is not clean). Default 600,000. */
  timeoutMs?: number;
  /** Cancels: local work stops and the batch is cancelled on the server. */
  signal?: AbortSignal;
  /** `metadata` header of the certificate request, e.g. `{ include_vul_info: true }`. */
  certificateMetadata?: Record<string, unknown>;
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
    | false;
  /** SHA-256 of each file, compared with the signed result's. Default: portable; the Node entry uses `node:crypto`. */
  hasher?: Sha256Hasher | undefined;
  /** Progress: files uploaded, then batch analysis percent. */
  onProgress?: (progress: {
    phase: "upload" | "analysis";
    uploaded?: number;
    total?: number;
    percent?: number;
  }) => void;
}

/** Every entry of the batch's status, page by page (unsigned: compared with the signed result). */
async function allStatusEntries(
  client: ClusterClient,
  batchId: string,
  signal: AbortSignal | undefined,
) {
  const entries: unknown[] = [];
  let first = 0;
  let raw: BatchStatus | undefined;
  for (;;) {
    const page = await unwrap(
      client.GET("/file/batch/{batchId}", {
        params: { path: { batchId }, query: { first, size: 100 } },
        signal,
      }),
    );
    raw ??= page;
    const list: unknown = page.batch_files?.files_in_batch;
    const pageEntries = Array.isArray(list) ? list : [];
    entries.push(...pageEntries);
    first += pageEntries.length;
    const total = page.batch_files?.batch_count ?? first;
    if (pageEntries.length === 0 || first >= total) return { entries, raw: raw as BatchStatus };
  }
}

/** Checks the signed result as asked, and says what was established. */
async function checkCertificate(
  text: string,
  options: ScanBatchOptions,
): Promise<{ certificate: BatchCertificate; result: Record<string, unknown> }> {
  const { expectedFingerprint, verifyCertificate } = options;
  if (!verifyCertificate) {
    if (expectedFingerprint !== undefined)
      throw new InvalidInputError("expectedFingerprint needs a verifyCertificate function");
    const { result } = splitSignedBatch(text);
    const certificate = {
      status: "unverified",
      fingerprint: undefined,
      fingerprint256: undefined,
      text,
    } as const;
    return { certificate, result };
  }
  const check = await verifyCertificate(text, { expectedFingerprint });
  if (expectedFingerprint !== undefined && !check.pinned)
    throw new CertificateVerificationError("the verifier did not check the expected fingerprint");
  return {
    certificate: {
      status: check.pinned ? "pinned" : "unpinned",
      fingerprint: check.fingerprint,
      fingerprint256: check.fingerprint256,
      text,
    },
    result: check.result,
  };
}

/**
 * Scans files as one batch and returns every file's verdict from the
 * batch's signed result: creates the batch, uploads the files into it
 * (bounded concurrency, exact `Content-Length`), closes it, waits until it
 * finishes, pages through its status, downloads the signed result and checks
 * its signature (against the pinned signer with `expectedFingerprint`).
 *
 * The verdict and the file list come from the signed result, not from the
 * unsigned status: every submitted `data_id` must be in it (a missing one is
 * a `failed` file), and a status that disagrees with it keeps the batch from
 * being clean (see `contradictions`).
 *
 * @throws {CertificateVerificationError} when the signature does not verify, or
 *   the signer is not the one `expectedFingerprint` names.
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
  const { signal } = options;
  const header: Record<string, string> = {};
  if (options.rule) header.rule = encodeURIComponent(options.rule);
  if (options.userData) header["user-data"] = encodeURIComponent(options.userData);
  const sources = [...inputs].map(toFileSource);
  if (options.rule) {
    // Every file is checked against the rule's size limit before the batch exists.
    const rules = await unwrap(client.GET("/file/rules", { signal }));
    for (const source of sources) checkFileSize(rules, options.rule, source.size, source.name);
  }
  const created: unknown = await unwrap(client.POST("/file/batch", { params: { header }, signal }));
  const batchId = checkServerId(
    typeof created === "object" && created
      ? (created as { batch_id?: unknown }).batch_id
      : undefined,
    "batch_id",
    "the gateway's answer to the batch creation",
  );
  const hasher = options.hasher ?? portableSha256;
  const submitted: SubmittedFile[] = [];
  try {
    let uploaded = 0;
    let next = 0;
    // The first failed upload stops the others: an incomplete batch is worthless.
    const uploads = new AbortController();
    const stopUploads = () => uploads.abort(signal?.reason);
    signal?.addEventListener("abort", stopUploads, { once: true });
    // A few workers take the files in turn, so nothing waits on the signal but live uploads.
    const worker = async () => {
      while (next < sources.length) {
        uploads.signal.throwIfAborted();
        const index = next++;
        const source = sources[index] as FileSource;
        try {
          const sha256 = source.sha256 ? await source.sha256(hasher) : undefined;
          const dataId = await uploadFile(client, source, {
            batchId,
            rule: options.rule,
            signal: uploads.signal,
          });
          submitted[index] = { dataId, name: source.name, sha256: sha256?.toLowerCase() };
          options.onProgress?.({ phase: "upload", uploaded: ++uploaded, total: sources.length });
        } catch (error) {
          uploads.abort(error);
          throw error;
        }
      }
    };
    try {
      const workers = Math.max(1, Math.min(options.concurrency ?? 4, sources.length));
      await Promise.all(Array.from({ length: workers }, worker));
    } catch (error) {
      if (!signal?.aborted) {
        await client
          .POST("/file/batch/{batchId}/cancel", { params: { path: { batchId } } })
          .catch(() => {});
      }
      throw error;
    } finally {
      signal?.removeEventListener("abort", stopUploads);
    }
    await unwrap(
      client.POST("/file/batch/{batchId}/close", { params: { path: { batchId } }, signal }),
    );

    const deadline = Date.now() + (options.timeoutMs ?? 600_000);
    for (let attempt = 0; ; attempt++) {
      const status = await unwrap(
        client.GET("/file/batch/{batchId}", {
          params: { path: { batchId }, query: { first: 0, size: 1 } },
          signal,
        }),
      );
      const percent = status.process_info?.progress_percentage ?? 0;
      options.onProgress?.({ phase: "analysis", percent });
      if (percent >= 100) break;
      if (Date.now() >= deadline)
        throw new ScanTimeoutError(
          `batch ${batchId} did not finish in time; it is still running on the gateway (GET /file/batch/${batchId})`,
        );
      await sleep(
        Math.min(
          backoffDelay(attempt, { initialMs: 200, maxMs: 5_000 }),
          Math.max(0, deadline - Date.now()),
        ),
        signal,
      );
    }
    const { entries, raw } = await allStatusEntries(client, batchId, signal);
    const metadata = options.certificateMetadata
      ? { metadata: encodeURIComponent(JSON.stringify(options.certificateMetadata)) }
      : {};
    const text = await unwrap(
      client.GET("/file/batch/{batchId}/certificate", {
        params: { path: { batchId }, header: metadata },
        parseAs: "text",
        signal,
      }),
    );
    const { certificate, result } = await checkCertificate(text, options);
    const evidence = batchEvidence(
      batchId,
      submitted,
      { summary: raw as Record<string, unknown>, entries },
      result,
    );
    return { batchId, ...evidence, certificate, raw };
  } catch (error) {
    if (signal?.aborted) {
      await client
        .POST("/file/batch/{batchId}/cancel", { params: { path: { batchId } } })
        .catch(() => {});
      throw new ScanAbortedError(`batch ${batchId} aborted; it was cancelled on the gateway`, {
        cause: error,
      });
    }
    throw error;
  }
}

import { type AnalysisResult, type BatchStatus, type ClusterClient, unwrap } from "@mdkit/cluster";
import { backoffDelay, createDeadline, type Deadline, sleep } from "@mdkit/core";
import { ScanAbortedError, ScanTimeoutError } from "./errors.js";
import { type FileSource, type ScanInput, toFileSource } from "./input.js";
import { checkFileSize } from "./rules.js";
import { uploadFile } from "./upload.js";
import { SCAN_RESULT_NAMES, type Verdict, verdictOf } from "./verdict.js";

/** One file of a finished batch. */
export interface BatchFileResult {
  dataId: string | undefined;
  name: string | undefined;
  verdict: Verdict;
  code: number | undefined;
  codeName: string | undefined;
  sha256: string | undefined;
}

/** What a certificate verifier returns (see `verifyBatchCertificate` in `@mdkit/scan/node`). */
export interface CertificateCheck {
  /** SHA-1 fingerprint of the signing certificate. */
  fingerprint: string;
}

/** The outcome of {@link scanBatch}. */
export interface BatchResult {
  batchId: string;
  /** The batch's overall verdict (its worst file). Only `"clean"` is clean. */
  verdict: Verdict;
  /** Every file, in submission order. */
  files: BatchFileResult[];
  /** The signed result as the gateway sent it (YAML). */
  certificate: string;
  /** What the verifier established; absent only with `verifyCertificate: false`. */
  verified: CertificateCheck | undefined;
  /** The final batch status (first page). */
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
  /**
   * Hard deadline of the whole batch, ms: uploads, closing, polling, paging
   * and the certificate end by then, with `ScanTimeoutError` naming the
   * batch (which is not clean). Default 600,000.
   */
  timeoutMs?: number;
  /** Cancels: local work stops and the batch is cancelled on the server. */
  signal?: AbortSignal;
  /** `metadata` header of the certificate request, e.g. `{ include_vul_info: true }`. */
  certificateMetadata?: Record<string, unknown>;
  /**
   * Verifies the signed result; must throw when it does not verify. The Node
   * entry passes `verifyBatchCertificate` by default. `false` skips it (not advised).
   */
  verifyCertificate?: ((yaml: string) => CertificateCheck | Promise<CertificateCheck>) | false;
  /** Progress: files uploaded, then batch analysis percent. */
  onProgress?: (progress: {
    phase: "upload" | "analysis";
    uploaded?: number;
    total?: number;
    percent?: number;
  }) => void;
}

/** Every file of the batch, page by page. */
async function allFiles(client: ClusterClient, batchId: string, signal: AbortSignal | undefined) {
  const files: BatchFileResult[] = [];
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
    const entries = page.batch_files?.files_in_batch ?? [];
    for (const entry of entries) {
      const code = entry.scan_all_result_i;
      files.push({
        dataId: entry.data_id,
        name: entry.display_name,
        verdict: verdictOf({
          data_id: entry.data_id ?? "",
          scan_results: { scan_all_result_i: code },
          process_info: entry.process_info,
        } as AnalysisResult),
        code,
        codeName: code === undefined ? undefined : SCAN_RESULT_NAMES[code],
        sha256: (entry as { sha256?: string }).sha256,
      });
    }
    first += entries.length;
    const total = page.batch_files?.batch_count ?? first;
    if (entries.length === 0 || first >= total) return { files, raw: raw as BatchStatus };
  }
}

/**
 * Scans files as one batch and returns every file's verdict with the
 * batch's signed certificate, verified: creates the batch, uploads the files
 * into it (bounded concurrency, exact `Content-Length`), closes it, waits
 * until it finishes, pages through its status, downloads the signed result
 * and checks its signature against the embedded certificate.
 *
 * @throws {CertificateVerificationError} when the signature does not verify.
 * @example
 * ```ts
 * import { scanBatch } from "@mdkit/scan/node";
 * const batch = await scanBatch(cluster, ["a.pdf", "b.docx"], { userData: "release 1.4" });
 * console.log(batch.verdict, batch.verified?.fingerprint);
 * ```
 */
export async function scanBatch(
  client: ClusterClient,
  inputs: Iterable<ScanInput>,
  options: ScanBatchOptions = {},
): Promise<BatchResult> {
  const timeoutMs = options.timeoutMs ?? 600_000;
  // One hard deadline for the whole batch: rules, uploads, closing, polling, paging, certificate.
  const deadline = createDeadline({
    timeoutMs,
    signal: options.signal,
    source: "@mdkit/scan",
    what: "the batch",
  });
  try {
    return await runBatch(client, inputs, options, deadline);
  } catch (error) {
    if (!deadline.expired || options.signal?.aborted || error instanceof ScanTimeoutError) {
      throw error;
    }
    throw new ScanTimeoutError(`the batch did not finish within ${timeoutMs} ms`, {
      cause: error,
    });
  } finally {
    deadline.dispose();
  }
}

async function runBatch(
  client: ClusterClient,
  inputs: Iterable<ScanInput>,
  options: ScanBatchOptions,
  deadline: Deadline,
): Promise<BatchResult> {
  const { signal } = deadline;
  const callerAborted = () => options.signal?.aborted === true;
  const header: Record<string, string> = {};
  if (options.rule) header.rule = encodeURIComponent(options.rule);
  if (options.userData) header["user-data"] = encodeURIComponent(options.userData);
  const sources = [...inputs].map(toFileSource);
  if (options.rule) {
    // Every file is checked against the rule's size limit before the batch exists.
    const rules = await unwrap(client.GET("/file/rules", { signal }));
    for (const source of sources) checkFileSize(rules, options.rule, source.size, source.name);
  }
  const { batch_id: batchId } = await unwrap(
    client.POST("/file/batch", { params: { header }, signal }),
  );
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
        const source = sources[next++] as FileSource;
        try {
          await uploadFile(client, source, { batchId, rule: options.rule, signal: uploads.signal });
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
      if (!callerAborted()) {
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
      if (deadline.expired) throw batchTimeout(batchId, options);
      await sleep(
        Math.min(backoffDelay(attempt, { initialMs: 200, maxMs: 5_000 }), deadline.remainingMs()),
        signal,
      );
    }
    const { files, raw } = await allFiles(client, batchId, signal);
    const metadata = options.certificateMetadata
      ? { metadata: encodeURIComponent(JSON.stringify(options.certificateMetadata)) }
      : {};
    const certificate = await unwrap(
      client.GET("/file/batch/{batchId}/certificate", {
        params: { path: { batchId }, header: metadata },
        parseAs: "text",
        signal,
      }),
    );
    const verified = options.verifyCertificate
      ? await options.verifyCertificate(certificate)
      : undefined;
    const verdict = verdictOf({
      data_id: batchId,
      scan_results: raw.scan_results,
      process_info: raw.process_info,
    } as AnalysisResult);
    return { batchId, verdict, files, certificate, verified, raw };
  } catch (error) {
    if (callerAborted()) {
      await client
        .POST("/file/batch/{batchId}/cancel", { params: { path: { batchId } } })
        .catch(() => {});
      throw new ScanAbortedError(`batch ${batchId} aborted; it was cancelled on the gateway`, {
        cause: error,
      });
    }
    if (deadline.expired && !(error instanceof ScanTimeoutError)) {
      throw batchTimeout(batchId, options, error);
    }
    throw error;
  }
}

function batchTimeout(batchId: string, options: ScanBatchOptions, cause?: unknown) {
  return new ScanTimeoutError(
    `batch ${batchId} did not finish within ${options.timeoutMs ?? 600_000} ms; it may still be running on the gateway (GET /file/batch/${batchId})`,
    { cause },
  );
}

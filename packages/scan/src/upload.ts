import { type AnalyzeFileHeaders, type ClusterClient, unwrap } from "@mdkit/cluster";
import { type BinaryBody, type RetryOptions, toReadableStream } from "@mdkit/core";
import type { IncrementalHash } from "./hash.js";
import { encodeFilename, type FileSource } from "./input.js";
import { checkServerId } from "./internal/ids.js";
import { observedByteStream } from "./internal/observed-stream.js";
import type { ScanProgress } from "./poll.js";

/** What to send with an upload besides the bytes. */
export interface UploadOptions {
  /** Rule to process the file with (sent URL-encoded). */
  rule?: string | undefined;
  /** Batch to add the file to. */
  batchId?: string | undefined;
  /** Free-form metadata, sent as URL-encoded JSON in the `metadata` header. */
  metadata?: Record<string, unknown> | undefined;
  /** Password of an encrypted archive. Never logged. */
  archivePassword?: string | undefined;
  /** URL the gateway calls when the analysis finishes. */
  callbackUrl?: string | undefined;
  /** `user_agent` header. Default `mdkit`. */
  userAgent?: string | undefined;
  /** Fed with every byte sent, e.g. to learn a one-shot stream's SHA-256 while uploading it. */
  hash?: IncrementalHash | undefined;
  /** Upload progress. */
  onProgress?: ((progress: ScanProgress) => void) | undefined;
  /** Cancels the upload. */
  signal?: AbortSignal | undefined;
  /**
   * The client's retry policy for this upload; `false` when the caller
   * handles "busy" answers itself (as `scanFile` does). Default: the client's.
   */
  retry?: RetryOptions | false | undefined;
}

function toStream(body: BinaryBody): ReadableStream<Uint8Array> {
  if (body instanceof Blob) return body.stream();
  if (body instanceof ReadableStream) return body;
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body))
    return new Blob([body as BlobPart]).stream();
  return toReadableStream(body);
}

/**
 * Wraps a body in a stream that reports bytes sent and feeds a hash, as the
 * bytes go out; a byte stream (a file) stays one, so reading it allocates nothing per chunk.
 */
function observed(
  body: BinaryBody,
  total: number,
  onProgress: ((p: ScanProgress) => void) | undefined,
  hash: IncrementalHash | undefined,
): ReadableStream<Uint8Array> {
  const stream = toStream(body);
  let sent = 0;
  const bytes = observedByteStream(stream, (chunk) => {
    sent += chunk.byteLength;
    hash?.update(chunk);
    onProgress?.({ phase: "upload", bytesSent: sent, bytesTotal: total });
  });
  if (bytes) return bytes;
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        sent += chunk.byteLength;
        hash?.update(chunk);
        controller.enqueue(chunk);
        onProgress?.({ phase: "upload", bytesSent: sent, bytesTotal: total });
      },
    }),
  );
}

/**
 * Uploads one file with its exact `Content-Length` and returns its `data_id`.
 * Throws the typed HTTP error on failure (503 → `ServiceUnavailableError`).
 *
 * @throws {InvalidDataIdError} when the answer has no `data_id`, or one that
 *   is not a plain token (`..`, `/`, `%`, spaces, empty, over 128 characters):
 *   nothing is ever polled with it.
 *
 * @example
 * ```ts
 * // The upload alone (scanFile does the upload, the waiting and the verdict):
 * const dataId = await uploadFile(cluster, toFileSource({ data: bytes, name: "report.pdf" }), {
 *   rule: "multiscan",
 * });
 * ```
 */
export async function uploadFile(
  client: ClusterClient,
  source: FileSource,
  options: UploadOptions = {},
): Promise<string> {
  const header: AnalyzeFileHeaders = {
    "Content-Length": source.size,
    user_agent: options.userAgent ?? "mdkit",
  };
  if (source.name) header.filename = encodeFilename(source.name);
  if (options.rule) header.rule = encodeURIComponent(options.rule);
  if (options.batchId) header.batch = options.batchId;
  if (options.metadata) header.metadata = encodeURIComponent(JSON.stringify(options.metadata));
  if (options.archivePassword) header.archivepwd = options.archivePassword;
  if (options.callbackUrl) header.callbackurl = options.callbackUrl;
  const raw = source.open();
  const body =
    options.onProgress || options.hash
      ? observed(raw, source.size, options.onProgress, options.hash)
      : raw;
  const answer: unknown = await unwrap(
    client.POST("/file", {
      body,
      params: { header },
      signal: options.signal,
      ...(options.retry !== undefined ? { retry: options.retry } : {}),
    }),
  );
  const dataId =
    typeof answer === "object" && answer ? (answer as { data_id?: unknown }).data_id : undefined;
  return checkServerId(dataId, "data_id", "the gateway's answer to the upload");
}

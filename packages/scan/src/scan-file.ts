import { type ClusterClient, isHttpError, NetworkError } from "@mdkit/cluster";
import {
  backoffDelay,
  createDeadline,
  type Deadline,
  decideRetry,
  isDeadlineExceeded,
  sleep,
} from "@mdkit/core";
import type { CallbackReceiver, CallbackSubscription } from "./callback-receiver.js";
import { MalformedResultError, ScanAbortedError, ScanTimeoutError } from "./errors.js";
import { createSha256, type IncrementalHash, portableSha256, type Sha256Hasher } from "./hash.js";
import { type FileSource, type ScanInput, toFileSource } from "./input.js";
import { subscribeCallback, waitForResult } from "./internal/callback-wait.js";
import { lookupHash } from "./lookup.js";
import { type PollOptions, pollResult } from "./poll.js";
import { type ScanResult, toScanResult } from "./result.js";
import { checkFileSize, ruleCache } from "./rules.js";
import { type UploadOptions, uploadFile } from "./upload.js";

/** Options of {@link scanFile}. Every delay is in milliseconds. */
export interface ScanFileOptions
  extends Omit<UploadOptions, "signal" | "onProgress" | "hash" | "retry">,
    Omit<PollOptions, "sizeBytes"> {
  /**
   * Hard deadline of the scan, ms: the rule check, the hash lookup, the
   * upload, every busy wait (`Retry-After` included), every poll and every
   * request end by then, with `ScanTimeoutError` (never a verdict). In
   * `scanFiles` it applies per file, from when the file gets its place on the
   * gateway (time queued behind other files does not count). Default 600,000.
   */
  timeoutMs?: number | undefined;
  /** Look the SHA-256 up first and skip the upload when a finished result exists for the rule. Default true. */
  hashFirst?: boolean | undefined;
  /**
   * A callback receiver (`createCallbackReceiver` in `@mdkit/scan/node`, or
   * `createCallbackHandler`): the upload carries a callback URL of its own,
   * and the scan waits for the gateway's call instead of polling, then
   * confirms the result with one `GET /file/{data_id}`. A late, refused or
   * lost callback only hands over to polling. Default none (polling).
   */
  callbacks?: CallbackReceiver | undefined;
  /** Check the rule's `max_file_size` before uploading (one `GET /file/rules`). Default true when `rule` is set. */
  checkFileSize?: boolean | undefined;
  /** How many times to re-send an upload the gateway refused as busy (503/429). Default 20. */
  maxBusyRetries?: number | undefined;
  /** SHA-256 implementation. Default: portable (`@noble/hashes`); the Node entry uses `node:crypto`. */
  hasher?: Sha256Hasher | undefined;
  /** Cancel the analysis on the server when `signal` aborts after the upload. Default true. */
  cancelOnAbort?: boolean | undefined;
  /** Called with each accepted `data_id`, before polling (journals use it to resume). */
  onSubmitted?: ((dataId: string, source: FileSource) => void | Promise<void>) | undefined;
  /**
   * Called (and awaited) once before the first byte of the file is sent, with
   * its SHA-256 when known. A journal records the intent here, so that a run
   * killed before it learns the `data_id` looks the hash up (analyses in
   * progress included) instead of uploading the content again.
   */
  onUploading?:
    | ((source: FileSource, sha256: string | undefined) => void | Promise<void>)
    | undefined;
  /** Called when the gateway answered "busy" (503/429) to an upload; `scanFiles` slows down on it. */
  onBusy?: (() => void) | undefined;
  /**
   * Waits for permission to occupy the gateway (from the upload until the result is in);
   * `scanFiles` passes its adaptive limiter here, so hashing and lookups run ahead of it.
   */
  acquireSlot?: ((signal: AbortSignal | undefined) => Promise<() => void>) | undefined;
  /** Internal to `scanFiles`: the rule list shared by a run. */
  rules?: (() => Promise<readonly import("@mdkit/cluster").Rule[]>) | undefined;
}

/** Whether the caller aborted (a deadline carried by the caller's signal is a timeout, not an abort). */
const aborted = (signal: AbortSignal | undefined) =>
  signal?.aborted === true && !isDeadlineExceeded(signal.reason);

/** How busy answers to an upload are waited out: many patient retries, backoff from 250 ms to 10 s. */
const BUSY_RETRY = (maxRetries: number) => ({
  maxRetries,
  initialDelayMs: 250,
  maxDelayMs: 10_000,
});

/** Best-effort `POST /file/{id}/cancel`, never throwing: the caller is already failing. */
export async function cancelOnServer(client: ClusterClient, dataId: string) {
  await client
    .POST("/file/{data_id}/cancel", { params: { path: { data_id: dataId } } })
    .catch(() => {});
}

/**
 * Submits once, handling "busy" and lost connections without ever uploading
 * a file the gateway may have accepted: after a network failure, the hash is
 * looked up (in-progress included) before any new attempt.
 */
/**
 * A place on the gateway (from `acquireSlot`), given back while the file
 * waits out a "busy" answer so that the wait occupies nothing.
 */
class GatewaySlot {
  private release: (() => void) | undefined;
  constructor(private readonly acquire: ScanFileOptions["acquireSlot"]) {}
  async take(signal: AbortSignal | undefined) {
    this.release = await this.acquire?.(signal);
  }
  give() {
    this.release?.();
    this.release = undefined;
  }
}

async function submit(
  client: ClusterClient,
  source: FileSource,
  sha256: string | undefined,
  options: ScanFileOptions,
  slot: GatewaySlot,
  deadline: Deadline,
  hash?: IncrementalHash,
): Promise<{ dataId: string; uploaded: number }> {
  const maxBusy = options.maxBusyRetries ?? 20;
  const { signal } = deadline;
  for (let busy = 0, lost = 0; ; ) {
    try {
      const dataId = await uploadFile(client, source, {
        ...options,
        signal,
        onProgress: options.onProgress,
        hash,
        // "Busy" is handled here, with the limiter: the client must not wait it out on its own.
        retry: false,
      });
      return { dataId, uploaded: source.size };
    } catch (error) {
      if (aborted(options.signal)) throw error;
      const slowDown = isHttpError(error) && (error.status === 503 || error.status === 429);
      if (slowDown) options.onBusy?.();
      // The shared policy decides the wait: Retry-After (none over a minute) or jittered backoff.
      const decision = slowDown
        ? decideRetry(
            { error },
            { retries: busy, method: "POST", replayable: source.replayable },
            BUSY_RETRY(maxBusy),
          )
        : undefined;
      if (decision?.retry) {
        // Every wait counts against the deadline: one that would pass it ends the scan now.
        if (!deadline.allows(decision.delayMs)) throw busyPastDeadline(source, error, options);
        busy++;
        slot.give();
        await sleep(decision.delayMs, signal);
        await slot.take(signal);
        continue;
      }
      if (error instanceof NetworkError && source.replayable && lost < 2) {
        lost++;
        if (sha256) {
          const found = await lookupHash(client, sha256, {
            rule: options.rule,
            includeInProgress: true,
            signal,
          }).catch(() => undefined);
          if (found?.status === "found") return { dataId: found.result.dataId, uploaded: 0 };
          if (found?.status === "in-progress") return { dataId: found.dataId, uploaded: 0 };
        }
        await sleep(backoffDelay(lost, { initialMs: 250, maxMs: 5_000 }), signal);
        continue;
      }
      throw error;
    }
  }
}

/**
 * Scans one file and returns its normalised verdict.
 *
 * Hash first (unless `hashFirst: false`): the SHA-256 is looked up and the
 * upload skipped when a finished result for the same rule exists. Otherwise
 * the bytes are streamed with their exact `Content-Length`, then the result
 * is polled adaptively until every progress field reaches 100. Timeouts,
 * aborts, unknown codes and malformed results are errors or `failed`, never
 * `clean`. Aborting after the upload cancels the analysis on the server.
 *
 * @example
 * ```ts
 * const result = await scanFile(cluster, new File([bytes], "invoice.pdf"), { rule: "multiscan" });
 * if (!result.clean) console.warn(result.verdict, result.threats);
 * ```
 */
export async function scanFile(
  client: ClusterClient,
  input: ScanInput,
  options: ScanFileOptions = {},
): Promise<ScanResult> {
  const source = toFileSource(input);
  const hasher = options.hasher ?? portableSha256;
  let deadline = scanDeadline(source, options);
  try {
    const { signal } = deadline;
    if (options.rule && options.checkFileSize !== false) {
      const rules = await (options.rules ?? ruleCache(client, signal))();
      checkFileSize(rules, options.rule, source.size, source.name);
    }
    let sha256: string | undefined;
    if (options.hashFirst !== false && source.sha256) {
      sha256 = await source.sha256(hasher);
      // A lookup answered for another hash (or with an unusable id) is no answer: upload instead.
      const hit = await lookupHash(client, sha256, { rule: options.rule, signal }).catch(
        (error: unknown) => {
          if (error instanceof MalformedResultError) return undefined;
          throw error;
        },
      );
      if (hit?.status === "found") return { ...hit.result, name: source.name ?? hit.result.name };
    }
    const slot = new GatewaySlot(options.acquireSlot);
    if (options.acquireSlot) {
      // In `scanFiles`, the time queued behind other files of the run does not
      // count: the deadline starts again once the file has its place.
      deadline.dispose();
      await slot.take(options.signal);
      deadline = scanDeadline(source, options);
    }
    const subscription = subscribeCallback(options);
    try {
      return await submitAndWait(client, source, sha256, options, slot, deadline, subscription);
    } finally {
      slot.give();
      subscription?.dispose();
    }
  } catch (error) {
    if (!deadline.expired || aborted(options.signal) || error instanceof ScanTimeoutError) {
      throw error;
    }
    throw new ScanTimeoutError(
      `the scan of ${source.name ?? "a file"} did not finish within ${timeoutOf(options)} ms`,
      { cause: error },
    );
  } finally {
    deadline.dispose();
  }
}

const timeoutOf = (options: ScanFileOptions) => options.timeoutMs ?? 600_000;

/** The hard deadline of one file: every request and wait of its scan ends by then. */
function scanDeadline(source: FileSource, options: ScanFileOptions): Deadline {
  return createDeadline({
    timeoutMs: timeoutOf(options),
    signal: options.signal,
    source: "@mdkit/scan",
    what: `the scan of ${source.name ?? "a file"}`,
  });
}

/** A busy gateway whose next Retry-After (or backoff) would pass the deadline. */
function busyPastDeadline(source: FileSource, error: unknown, options: ScanFileOptions) {
  return new ScanTimeoutError(
    `the gateway stayed busy and the next retry of the upload of ${source.name ?? "a file"} would pass the ${timeoutOf(options)} ms deadline; nothing was accepted`,
    { cause: error },
  );
}

/** Uploads (never twice once accepted) and waits for the finished result. */
async function submitAndWait(
  client: ClusterClient,
  source: FileSource,
  sha256: string | undefined,
  options: ScanFileOptions,
  slot: GatewaySlot,
  deadline: Deadline,
  subscription: CallbackSubscription | undefined,
): Promise<ScanResult> {
  const { signal } = options;
  // A one-shot stream cannot be hashed first: hash it on its way out instead.
  const hashWhileSending = !sha256 && !source.replayable ? createSha256() : undefined;
  await options.onUploading?.(source, sha256);
  const { dataId, uploaded } = await submit(
    client,
    source,
    sha256,
    subscription ? { ...options, callbackUrl: subscription.url } : options,
    slot,
    deadline,
    hashWhileSending,
  ).catch((error) => {
    if (deadline.expired && !aborted(signal) && !(error instanceof ScanTimeoutError)) {
      throw new ScanTimeoutError(
        `the upload of ${source.name ?? "a file"} got no answer within ${timeoutOf(options)} ms (the gateway may have accepted it)`,
        { cause: error },
      );
    }
    if (!aborted(signal)) throw error;
    throw new ScanAbortedError(`upload of ${source.name ?? "file"} aborted; nothing was accepted`, {
      cause: error,
    });
  });
  await options.onSubmitted?.(dataId, source);
  try {
    // The server is expected to be done when the first poll goes out: free the
    // place now so the next upload overlaps the poll (a wrong guess costs a 503,
    // which the limiter learns from).
    // A callback is coming only for what was uploaded just now (not for a recovered submission).
    const callback =
      subscription && options.callbacks && uploaded > 0
        ? { subscription, receiver: options.callbacks }
        : undefined;
    const raw = await waitForResult(client, dataId, callback, {
      ...options,
      // Bounded by the scan's deadline, which the signal carries.
      signal: deadline.signal,
      sizeBytes: source.size,
      onFirstPoll: () => slot.give(),
    });
    return toScanResult(raw, {
      name: source.name,
      sha256: sha256 ?? hashWhileSending?.digestHex(),
      fromCache: uploaded === 0,
      uploadedBytes: uploaded,
    });
  } catch (error) {
    if (aborted(signal)) {
      const cancel = options.cancelOnAbort !== false;
      if (cancel) await cancelOnServer(client, dataId);
      throw new ScanAbortedError(
        `scan of ${source.name ?? dataId} aborted${cancel ? "; the analysis was cancelled" : ""}`,
        {
          dataId,
          cause: error,
        },
      );
    }
    throw error;
  }
}

/**
 * Resumes waiting for a submission accepted earlier (e.g. after a `ScanTimeoutError` or a restart).
 *
 * @throws {ResultMismatchError} when the result is for another `data_id`, or for
 *   other content than `sha256`.
 */
export async function resumeScan(
  client: ClusterClient,
  dataId: string,
  options: Omit<ScanFileOptions, "hashFirst"> & {
    /** Name of the file, for the result. */
    name?: string | undefined;
    /** SHA-256 of the content: a result whose `file_info.sha256` names other content is refused. */
    sha256?: string | undefined;
  } = {},
): Promise<ScanResult> {
  const raw = await pollResult(client, dataId, options);
  return toScanResult(raw, {
    name: options.name,
    sha256: options.sha256,
    fromCache: true,
    uploadedBytes: 0,
  });
}

import type { ClusterClient, Rule } from "@mdkit/cluster";
import {
  type Clock,
  createDeadline,
  type Deadline,
  isDeadlineExceeded,
  neverSent,
  systemClock,
} from "@mdkit/core";
import type { CallbackSubscription } from "../callback-receiver.js";
import { ScanAbortedError, ScanTimeoutError } from "../errors.js";
import { createSha256, type IncrementalHash, portableSha256 } from "../hash.js";
import { type FileSource, type ScanInput, toFileSource } from "../input.js";
import { lookupHash } from "../lookup.js";
import { type LookupOutcome, type ScanResult, toScanResult } from "../result.js";
import { checkFileSize, ruleCache } from "../rules.js";
import type { ScanFileOptions } from "../scan-file.js";
import { subscribeCallback, waitForResult } from "./callback-wait.js";
import { GatewaySlot } from "./gateway-slot.js";
import { type Submission, submit } from "./submit.js";

/** What `scanFiles` and the Node entry add to a scan; not part of the public options. */
export interface ScanHooks {
  /** The rule list shared by a run (fetched once). */
  rules?: (() => Promise<readonly Rule[]>) | undefined;
  /**
   * Called (and awaited) once before the first byte of the file is sent,
   * with its SHA-256 when known: a journal records the intent here, so that
   * a run killed before it learns the `data_id` looks the hash up instead of
   * uploading the content again.
   */
  onUploading?:
    | ((source: FileSource, sha256: string | undefined) => void | Promise<void>)
    | undefined;
  /**
   * Called with each accepted submission (whether this process's upload was
   * the one accepted) and the hash-first lookup that preceded it.
   */
  onAccepted?: ((accepted: { submission: Submission; lookup: LookupOutcome }) => void) | undefined;
}

/** Whether the caller aborted (a deadline carried by the caller's signal is a timeout, not an abort). */
export const callerAborted = (signal: AbortSignal | undefined) =>
  signal?.aborted === true && !isDeadlineExceeded(signal.reason);

/** Best-effort `POST /file/{id}/cancel`, never throwing: the caller is already failing. */
export async function cancelOnServer(client: ClusterClient, dataId: string) {
  await client
    .POST("/file/{data_id}/cancel", { params: { path: { data_id: dataId } } })
    .catch(() => {});
}

const timeoutOf = (options: ScanFileOptions) => options.timeoutMs ?? 600_000;

/** One scan in progress: the file, its options, its clock and its deadline. */
interface Scan {
  client: ClusterClient;
  source: FileSource;
  options: ScanFileOptions;
  hooks: ScanHooks;
  clock: Clock;
  deadline: Deadline;
}

/** The hard deadline of one file: every request and wait of its scan ends by then. */
function scanDeadline(source: FileSource, options: ScanFileOptions, clock: Clock): Deadline {
  return createDeadline({
    timeoutMs: timeoutOf(options),
    signal: options.signal,
    clock,
    source: "@mdkit/scan",
    what: `the scan of ${source.name ?? "a file"}`,
  });
}

/** The rule's `max_file_size`, checked before any byte is sent. */
async function checkRuleSize(scan: Scan): Promise<void> {
  const { client, source, options, hooks, deadline } = scan;
  if (!options.rule || options.checkFileSize === false) return;
  const rules = await (hooks.rules ?? ruleCache(client, deadline.signal))();
  checkFileSize(rules, options.rule, source.size, source.name);
}

/** The hash-first lookup: a finished result of this content, or why the file is uploaded. */
interface HashFirst {
  sha256: string | undefined;
  lookup: LookupOutcome;
  hit?: ScanResult | undefined;
}

/**
 * Hashes the file and looks the hash up. The lookup is an optimisation: any
 * failure of it (an HTTP error, a lost connection, an answer unreadable or
 * about another hash) means "upload instead", said in `lookup`; only an
 * abort, the deadline, or a gateway that cannot be connected to at all
 * (the upload would fail the same way) end the scan.
 */
async function hashFirst(scan: Scan): Promise<HashFirst> {
  const { client, source, options, deadline } = scan;
  if (options.hashFirst === false || !source.sha256) {
    return { sha256: undefined, lookup: { status: "skipped" } };
  }
  const sha256 = await source.sha256(options.hasher ?? portableSha256);
  try {
    // One attempt: waiting out a failing lookup would cost more than the upload it may save.
    const hit = await lookupHash(client, sha256, {
      rule: options.rule,
      signal: deadline.signal,
      retry: false,
    });
    if (hit.status !== "found") return { sha256, lookup: { status: "not-found" } };
    return {
      sha256,
      lookup: hit.result.lookup,
      hit: { ...hit.result, name: source.name ?? hit.result.name },
    };
  } catch (error) {
    // A gateway that cannot even be connected to would refuse the upload the same way.
    if (deadline.signal.aborted || neverSent(error)) throw error;
    return { sha256, lookup: { status: "failed", error } };
  }
}

/** Uploads (never twice once accepted), converting a failure past the deadline or an abort. */
async function upload(
  scan: Scan,
  slot: GatewaySlot,
  first: HashFirst,
  hash: IncrementalHash | undefined,
  subscription: CallbackSubscription | undefined,
) {
  const { client, source, options, deadline, clock } = scan;
  const { signal } = options;
  try {
    return await submit(
      {
        client,
        upload: subscription ? { ...options, callbackUrl: subscription.url } : options,
        slot,
        deadline,
        timeoutMs: timeoutOf(options),
        clock,
        maxBusyRetries: options.maxBusyRetries ?? 20,
        retryLost: true,
        sha256: first.sha256,
      },
      source,
      hash,
    );
  } catch (error) {
    if (deadline.expired && !callerAborted(signal) && !(error instanceof ScanTimeoutError)) {
      throw new ScanTimeoutError(
        `the upload of ${source.name ?? "a file"} got no answer within ${timeoutOf(options)} ms (the gateway may have accepted it)`,
        { cause: error },
      );
    }
    if (!callerAborted(signal)) throw error;
    throw new ScanAbortedError(`upload of ${source.name ?? "file"} aborted; nothing was accepted`, {
      cause: error,
    });
  }
}

/** Uploads the file and waits for its finished result, holding `slot` until the gateway is done with it. */
async function uploadAndWait(
  scan: Scan,
  slot: GatewaySlot,
  first: HashFirst,
  subscription: CallbackSubscription | undefined,
) {
  const { client, source, options, hooks, deadline, clock } = scan;
  // A one-shot stream cannot be hashed first: hash it on its way out instead.
  const hashWhileSending = !first.sha256 && !source.replayable ? createSha256() : undefined;
  await hooks.onUploading?.(source, first.sha256);
  const submission = await upload(scan, slot, first, hashWhileSending, subscription);
  hooks.onAccepted?.({ submission, lookup: first.lookup });
  const { dataId } = submission;
  await options.onSubmitted?.(dataId, source);
  try {
    // A callback is coming only for what this process uploaded (not for a recovered submission).
    const callback =
      subscription && options.callbacks && submission.uploaded
        ? { subscription, receiver: options.callbacks }
        : undefined;
    const raw = await waitForResult(client, dataId, callback, {
      ...options,
      // Bounded by the scan's deadline, which the signal carries.
      signal: deadline.signal,
      // Called back: the gateway's work is done, so is the file's place on it.
      onCalledBack: () => slot.give(),
      sizeBytes: source.size,
      clock,
    });
    return toScanResult(raw, {
      name: source.name,
      sha256: first.sha256 ?? hashWhileSending?.digestHex(),
      origin: submission.uploaded ? "upload" : "resumed",
      lookup: first.lookup,
      uploadedBytes: submission.uploaded ? source.size : 0,
    });
  } catch (error) {
    if (!callerAborted(options.signal)) throw error;
    const cancel = options.cancelOnAbort !== false;
    if (cancel) await cancelOnServer(client, dataId);
    throw new ScanAbortedError(
      `scan of ${source.name ?? dataId} aborted${cancel ? "; the analysis was cancelled" : ""}`,
      { dataId, cause: error },
    );
  }
}

/**
 * Takes the file's place on the gateway, uploads, waits for the result and
 * only then gives the place back (telling the limiter the work went well).
 * With a limiter, time spent waiting for the place does not count against
 * the scan's deadline: it starts again once the file has its place.
 */
async function onTheGateway(scan: Scan, first: HashFirst): Promise<ScanResult> {
  const slot = new GatewaySlot(scan.options.limiter);
  if (scan.options.limiter) {
    scan.deadline.dispose();
    await slot.take(scan.options.signal);
    scan.deadline = scanDeadline(scan.source, scan.options, scan.clock);
  }
  const subscription = subscribeCallback(scan.options);
  try {
    const result = await uploadAndWait(scan, slot, first, subscription);
    slot.success();
    return result;
  } finally {
    slot.give();
    subscription?.dispose();
  }
}

/**
 * `scanFile` with the hooks `scanFiles` and the Node entry add: rule check,
 * hash-first lookup (falling back to an upload), then the upload and the
 * wait on the gateway; every step within the scan's hard deadline.
 */
export async function scanOne(
  client: ClusterClient,
  input: ScanInput,
  options: ScanFileOptions,
  hooks: ScanHooks = {},
): Promise<ScanResult> {
  const source = toFileSource(input);
  const clock = options.clock ?? systemClock;
  const scan: Scan = {
    client,
    source,
    options,
    hooks,
    clock,
    deadline: scanDeadline(source, options, clock),
  };
  try {
    await checkRuleSize(scan);
    const first = await hashFirst(scan);
    if (first.hit) return first.hit;
    return await onTheGateway(scan, first);
  } catch (error) {
    if (
      !scan.deadline.expired ||
      callerAborted(options.signal) ||
      error instanceof ScanTimeoutError
    ) {
      throw error;
    }
    throw new ScanTimeoutError(
      `the scan of ${source.name ?? "a file"} did not finish within ${timeoutOf(options)} ms`,
      { cause: error },
    );
  } finally {
    scan.deadline.dispose();
  }
}

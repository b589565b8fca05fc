import { type ClusterClient, isHttpError, NetworkError } from "@mdkit/cluster";
import { backoffDelay, type Clock, type Deadline, decideRetry, neverSent } from "@mdkit/core";
import { ScanTimeoutError } from "../errors.js";
import type { IncrementalHash } from "../hash.js";
import type { FileSource } from "../input.js";
import { lookupHash } from "../lookup.js";
import { type UploadOptions, uploadFile } from "../upload.js";
import type { GatewaySlot } from "./gateway-slot.js";

/** What an upload needs besides the file: where it runs and how patient it is. */
export interface SubmitContext {
  client: ClusterClient;
  /** What to send with the bytes (rule, batch, metadata...). */
  upload: Omit<UploadOptions, "signal" | "hash" | "retry">;
  /** The place on the gateway, given back while "busy" is waited out. */
  slot: GatewaySlot;
  /** Bounds every attempt and wait. */
  deadline: Deadline;
  /** The signal of every attempt and wait, when it is not the deadline's own (one that also stops on a sibling's failure). */
  signal?: AbortSignal | undefined;
  /** The deadline's length, for messages. */
  timeoutMs: number;
  clock: Clock;
  /** How many "busy" answers (503/429) to wait out. */
  maxBusyRetries: number;
  /**
   * Whether to send again after a lost connection (twice at most, for a
   * replayable source): not for a batch, where a second copy would join it.
   */
  retryLost: boolean;
  /**
   * Before sending again after a lost connection, look this SHA-256 up
   * (in-progress included): the gateway may have accepted the file.
   */
  sha256?: string | undefined;
}

/** An accepted submission: the `data_id`, and whether this process's upload was the one accepted. */
export interface Submission {
  dataId: string;
  uploaded: boolean;
}

/** How busy answers to an upload are waited out: many patient retries, backoff from 250 ms to 10 s. */
const BUSY_RETRY = (maxRetries: number) => ({
  maxRetries,
  initialDelayMs: 250,
  maxDelayMs: 10_000,
});

const isBusy = (error: unknown) =>
  isHttpError(error) && (error.status === 503 || error.status === 429);

/**
 * Uploads once, waiting out "busy" answers as the shared retry policy
 * decides (`Retry-After`, none over a minute, else jittered backoff) with
 * the place on the gateway given back meanwhile, and never uploading a file
 * the gateway may have accepted: after a lost connection the hash is looked
 * up (in-progress included) before any new attempt.
 *
 * @throws {ScanTimeoutError} when the next busy wait would pass the deadline.
 */
export async function submit(
  context: SubmitContext,
  source: FileSource,
  hash?: IncrementalHash,
): Promise<Submission> {
  const { client, slot, deadline, clock } = context;
  const signal = context.signal ?? deadline.signal;
  for (let busy = 0, lost = 0; ; ) {
    try {
      const dataId = await uploadFile(client, source, {
        ...context.upload,
        signal,
        hash,
        // "Busy" is handled here, with the limiter: the client must not wait it out on its own.
        retry: false,
      });
      return { dataId, uploaded: true };
    } catch (error) {
      if (signal.aborted) throw error;
      if (isBusy(error)) {
        slot.busy();
        const decision = decideRetry(
          { error },
          { retries: busy, method: "POST", replayable: source.replayable, now: clock.now() },
          BUSY_RETRY(context.maxBusyRetries),
        );
        if (!decision.retry) throw error;
        // Every wait counts against the deadline: one that would pass it ends now.
        if (!deadline.allows(decision.delayMs)) throw busyPastDeadline(context, source, error);
        busy++;
        slot.give();
        await clock.sleep(decision.delayMs, signal);
        await slot.take(signal);
        continue;
      }
      if (!(error instanceof NetworkError) || !context.retryLost || !source.replayable) throw error;
      if (lost++ >= 2) throw error;
      // A connection never made sent nothing: no need to ask whether the gateway took it.
      const found = neverSent(error) ? undefined : await acceptedEarlier(context, signal);
      if (found) return { dataId: found, uploaded: false };
      await clock.sleep(backoffDelay(lost, { initialMs: 250, maxMs: 5_000 }), signal);
    }
  }
}

/** The submission of this content the gateway may have accepted before the connection was lost. */
async function acceptedEarlier(context: SubmitContext, signal: AbortSignal) {
  if (!context.sha256) return undefined;
  const found = await lookupHash(context.client, context.sha256, {
    rule: context.upload.rule,
    includeInProgress: true,
    signal,
  }).catch(() => undefined);
  if (found?.status === "found") return found.result.dataId;
  if (found?.status === "in-progress") return found.dataId;
  return undefined;
}

/** A busy gateway whose next Retry-After (or backoff) would pass the deadline. */
function busyPastDeadline(context: SubmitContext, source: FileSource, error: unknown) {
  return new ScanTimeoutError(
    `the gateway stayed busy and the next retry of the upload of ${source.name ?? "a file"} would pass the ${context.timeoutMs} ms deadline; nothing was accepted`,
    { cause: error, batchId: context.upload.batchId },
  );
}

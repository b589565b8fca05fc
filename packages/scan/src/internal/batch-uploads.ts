import type { ScanBatchOptions } from "../batch.js";
import type { SubmittedFile } from "../batch-evidence.js";
import { portableSha256 } from "../hash.js";
import type { FileSource } from "../input.js";
import type { ConcurrencyLimiter } from "../limiter.js";
import type { BatchRun } from "./batch-run.js";
import { GatewaySlot } from "./gateway-slot.js";
import { Semaphore } from "./semaphore.js";
import { SignalFan } from "./signal-fan.js";
import { submit } from "./submit.js";

/** Files hashed ahead of their upload at most. */
const PREPARED_AHEAD = 16;

/**
 * Uploads the files into the batch through `limiter`: each upload holds a
 * place on the gateway, "busy" answers are waited out (the limit learns
 * from them, the place is given back meanwhile) and never fail a file. A
 * file the gateway may have taken is never sent again (a second copy would
 * join the batch), and the first failure stops the other uploads: an
 * incomplete batch is worthless.
 */
export async function uploadIntoBatch(
  run: BatchRun & { options: ScanBatchOptions },
  sources: readonly FileSource[],
  limiter: ConcurrencyLimiter,
): Promise<SubmittedFile[]> {
  const { client, batchId, options, deadline, clock } = run;
  const stop = new AbortController();
  const signal = AbortSignal.any([deadline.signal, stop.signal]);
  // Each upload follows the batch's signal through one listener for them all.
  const files = new SignalFan(signal);
  const hasher = options.hasher ?? portableSha256;
  const submitted: SubmittedFile[] = [];
  let uploaded = 0;

  const uploadOne = async (index: number, source: FileSource) => {
    const slot = new GatewaySlot(limiter);
    const { signal, release } = files.follow();
    try {
      const sha256 = source.sha256 ? (await source.sha256(hasher)).toLowerCase() : undefined;
      await slot.take(signal);
      const { dataId } = await submit(
        {
          client,
          upload: { batchId, rule: options.rule },
          slot,
          deadline,
          signal,
          timeoutMs: options.timeoutMs ?? 600_000,
          clock,
          // Busy answers are waited out as long as the batch's deadline allows.
          maxBusyRetries: options.maxBusyRetries ?? Number.POSITIVE_INFINITY,
          retryLost: false,
        },
        source,
      );
      slot.success();
      const file = { dataId, name: source.name, sha256 };
      submitted[index] = file;
      await options.onSubmitted?.(file);
      options.onProgress?.({ phase: "upload", uploaded: ++uploaded, total: sources.length });
    } catch (error) {
      stop.abort(error);
      throw error;
    } finally {
      slot.give();
      release();
    }
  };

  const ahead = new Semaphore(() => PREPARED_AHEAD);
  const tasks: Promise<void>[] = [];
  let feeding: unknown;
  try {
    for (const [index, source] of sources.entries()) {
      const release = await ahead.acquire(signal);
      tasks.push(uploadOne(index, source).finally(release));
    }
  } catch (error) {
    feeding = error;
  }
  // Every upload settles before the outcome is known (none is left running).
  const outcomes = await Promise.allSettled(tasks);
  // The first failure is the reason (the others were stopped by it).
  if (stop.signal.aborted && !deadline.signal.aborted) throw stop.signal.reason;
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
  if (failed) throw failed.reason;
  if (feeding !== undefined) throw feeding;
  return submitted;
}

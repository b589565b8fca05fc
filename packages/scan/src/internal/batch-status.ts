import { type BatchStatus, type ClusterClient, unwrap } from "@mdkit/cluster";
import { MalformedResultError } from "../errors.js";
import type { BatchRun } from "./batch-run.js";
import { failedPoll, type PollAttempt, pollUntilDone } from "./poll-loop.js";

/** Consecutive failed status polls (network, 5xx, unreadable bodies) tolerated. */
const MAX_TRANSIENT = 8;

/** One `GET /file/batch/{id}` (first entry only), classified for the waiting loop. */
async function statusOnce(run: BatchRun, signal: AbortSignal): Promise<PollAttempt<BatchStatus>> {
  const { client, batchId } = run;
  try {
    const status = await unwrap(
      // Polling is its own waiting loop: the client must not wait out "busy" answers as well.
      client.GET("/file/batch/{batchId}", {
        params: { path: { batchId }, query: { first: 0, size: 1 } },
        signal,
        retry: false,
      }),
    );
    const percent = status.process_info?.progress_percentage ?? 0;
    return percent >= 100 ? { kind: "done", value: status } : { kind: "running", percent };
  } catch (error) {
    return failedPoll(error, signal);
  }
}

/**
 * Polls the batch's status until its analysis is complete, within the
 * batch's deadline: 429/503 slow the polling down as the shared retry
 * policy decides (`Retry-After` honoured), transient failures are retried a
 * bounded number of times. Resolves `undefined` when the deadline passed.
 */
export function waitForBatch(run: BatchRun): Promise<BatchStatus | undefined> {
  const { batchId, options, deadline, clock } = run;
  return pollUntilDone<BatchStatus>(
    {
      attempt: (signal) => statusOnce(run, signal),
      giveUp: (kind, count, error) => {
        if (kind === "not-found" || count > MAX_TRANSIENT)
          return new MalformedResultError(
            `giving up on the status of batch ${batchId} after ${count} failed polls`,
            { batchId, cause: error },
          );
        return undefined;
      },
      onProgress: (percent) => options.onProgress?.({ phase: "analysis", percent }),
    },
    {
      minIntervalMs: 200,
      maxIntervalMs: 5_000,
      firstDelayMs: 200,
      random: Math.random,
      clock,
    },
    deadline,
  );
}

/** Every entry of the batch's status, page by page (unsigned: compared with the signed result). */
export async function allStatusEntries(
  client: ClusterClient,
  batchId: string,
  signal: AbortSignal,
): Promise<{ entries: unknown[]; raw: BatchStatus }> {
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

import type { ClusterClient } from "@mdkit/cluster";
import {
  type ConcurrencyLimiter,
  lookupHash,
  MalformedResultError,
  resumeScan,
  type ScanFileOptions,
  type ScanResult,
  scanFile,
} from "@mdkit/scan";
import { nodeSha256 } from "@mdkit/scan/node";
import type { Job } from "bullmq";
import { ContentChangedError } from "../errors.js";
import type { ScanJobData } from "../job-data.js";
import type { DownloadLimits } from "./bounded-download.js";
import { openJobSource } from "./open-source.js";
import { redisCall } from "./redis-guard.js";

/** Scan options a worker applies to every job. */
export type JobScanOptions = Pick<
  ScanFileOptions,
  | "timeoutMs"
  | "hashFirst"
  | "checkFileSize"
  | "maxBusyRetries"
  | "minIntervalMs"
  | "maxIntervalMs"
  | "initialDelayMs"
  | "estimator"
>;

/** What running a job needs. */
export interface JobContext {
  cluster: ClusterClient;
  limiter: ConcurrencyLimiter | undefined;
  scan: JobScanOptions;
  /** Bounds on downloading a URL job's bytes. */
  download: DownloadLimits;
}

/** The gateway analysed the queued bytes, or the result is not this job's. */
function checked(result: ScanResult, data: ScanJobData): ScanResult {
  const analysed = result.raw.file_info?.sha256?.toLowerCase();
  if (analysed && analysed !== data.sha256) {
    throw new ContentChangedError(
      `the gateway's result ${result.dataId} is for other content (SHA-256 ${analysed}, queued ${data.sha256})`,
      data.sha256,
      analysed,
      { dataId: result.dataId },
    );
  }
  return { ...result, name: data.name, sha256: data.sha256 };
}

/**
 * The submission an earlier attempt may have made without recording it (it
 * died between the gateway's answer and the write): the gateway knows it by
 * hash, finished or in progress.
 */
async function earlierSubmission(ctx: JobContext, data: ScanJobData, signal?: AbortSignal) {
  const found = await lookupHash(ctx.cluster, data.sha256, {
    rule: data.rule,
    includeInProgress: true,
    signal,
  });
  if (found.status === "found") return { result: found.result };
  if (found.status === "in-progress") return { dataId: found.dataId };
  return {};
}

/**
 * Scans a job's content exactly once on the gateway: a job that already
 * has an accepted submission (recorded in the job before polling, or found
 * by hash after a crash) polls it; otherwise the file is opened, checked
 * against the queued SHA-256, and scanned with the shared budget, recording
 * the accepted `data_id` in the job before the first poll.
 */
export async function runScanJob(
  job: Job<ScanJobData>,
  ctx: JobContext,
  signal: AbortSignal | undefined,
): Promise<ScanResult> {
  const data = job.data;
  const record = (dataId: string) =>
    redisCall("recording the submission", () => job.updateData({ ...job.data, dataId }));
  let dataId = data.dataId;
  if (!dataId && job.attemptsStarted > 1) {
    const earlier = await earlierSubmission(ctx, data, signal);
    if (earlier.result) return checked(earlier.result, data);
    if (earlier.dataId) {
      dataId = earlier.dataId;
      await record(dataId);
    }
  }
  if (dataId) {
    try {
      const options = { ...ctx.scan, signal, name: data.name, sha256: data.sha256 };
      return checked(await resumeScan(ctx.cluster, dataId, options), data);
    } catch (error) {
      // The gateway forgot the submission: only then is the file scanned again.
      if (!(error instanceof MalformedResultError)) throw error;
    }
  }
  const opened = await openJobSource(data, ctx.download, signal);
  try {
    const result = await scanFile(ctx.cluster, opened.source, {
      ...ctx.scan,
      rule: data.rule,
      signal,
      hasher: nodeSha256,
      cancelOnAbort: false,
      // The job's place in the shared budget, held from the upload until the
      // result is in (given back while a "busy" answer is waited out).
      limiter: ctx.limiter,
      onSubmitted: (id) => record(id).then(() => {}),
    });
    return checked(result, data);
  } finally {
    await opened.dispose();
  }
}

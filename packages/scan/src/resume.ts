import type { ClusterClient } from "@mdkit/cluster";
import { lookupHash } from "./lookup.js";

/**
 * Where `scanFiles` picks up a file an earlier run worked on: what a journal
 * (`ScanJournal` in `@mdkit/scan/node`) knows about it.
 */
export interface ResumePoint {
  /** A submission of this content to poll instead of uploading. */
  dataId?: string | undefined;
  /**
   * SHA-256 of the content now (hex). A resumed result whose
   * `file_info.sha256` names other content is not used: the file is scanned afresh.
   */
  sha256?: string | undefined;
  /**
   * An earlier run may have had this content accepted without recording its
   * `data_id` (it stopped during the upload): its hash is looked up, analyses
   * in progress included, before anything is uploaded. Needs `sha256`.
   */
  maybeSubmitted?: boolean | undefined;
}

/** What a `resume` callback may answer: a `data_id`, a {@link ResumePoint}, or nothing. */
export type ResumeAnswer = string | ResumePoint | undefined;

/** A {@link ResumeAnswer} as a {@link ResumePoint}. */
export function toResumePoint(answer: ResumeAnswer): ResumePoint {
  return typeof answer === "string" ? { dataId: answer } : (answer ?? {});
}

/**
 * The submission to poll for a resumed file: the recorded one, or the one
 * a hash lookup (in-progress included) finds for content an earlier run may
 * have uploaded. `undefined` when there is none, or the lookup fails or
 * answers for another hash: the file is then scanned afresh.
 */
export async function submissionToResume(
  client: ClusterClient,
  point: ResumePoint,
  options: { rule?: string | undefined; signal?: AbortSignal | undefined },
): Promise<{ dataId: string; recovered: boolean } | undefined> {
  if (point.dataId) return { dataId: point.dataId, recovered: false };
  if (!point.maybeSubmitted || !point.sha256) return undefined;
  const hit = await lookupHash(client, point.sha256, {
    rule: options.rule,
    includeInProgress: true,
    signal: options.signal,
  }).catch(() => undefined);
  if (hit?.status === "found") return { dataId: hit.result.dataId, recovered: true };
  if (hit?.status === "in-progress") return { dataId: hit.dataId, recovered: true };
  return undefined;
}

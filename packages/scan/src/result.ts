import type { AnalysisResult } from "@mdkit/cluster";
import { contradictionsOf } from "./contradictions.js";
import { checkSameContent } from "./internal/evidence.js";
import { isPlainId } from "./internal/ids.js";
import { SCAN_RESULT_NAMES, type Verdict, verdictOf } from "./verdict.js";

/** One engine's finding. */
export interface EngineFinding {
  /** Engine name as the server reports it. */
  engine: string;
  /** The engine's `scan_result_i`. */
  code: number | undefined;
  /** The threat name, if it found one. */
  threat: string | undefined;
}

/**
 * How a result was obtained:
 * - `lookup`: a finished result of the same content (and rule) found by its
 *   hash; nothing was uploaded or polled for it.
 * - `upload`: this call (or run) uploaded the content, the gateway accepted
 *   it, and its analysis was polled to the end.
 * - `resumed`: an analysis this call did not upload was polled to the end: a
 *   `data_id` given to `resumeScan`, one a journal recorded in an earlier run,
 *   or one found by hash after a lost connection (whether the gateway took
 *   this process's bytes then cannot be known).
 */
export type ScanOrigin = "lookup" | "upload" | "resumed";

/**
 * What the hash-first lookup of a scan came to:
 * - `found`: a finished result for this content and rule (the result's
 *   `origin` is `lookup`);
 * - `not-found`: none (an analysis still running counts as none), so the
 *   file was uploaded;
 * - `failed`: the lookup itself failed — an HTTP error (404, 403, 405, 5xx: a
 *   gateway or proxy without the route), a lost connection, an answer that
 *   is unreadable or about another hash — so the file was uploaded instead
 *   (`error` says why; the lookup is an optimisation, never the verdict);
 * - `skipped`: no lookup was made (`hashFirst: false`, a one-shot stream
 *   hashed only while it is sent, a resumed analysis).
 */
export type LookupOutcome =
  | { status: "found" }
  | { status: "not-found" }
  | { status: "failed"; error: unknown }
  | { status: "skipped" };

/** The outcome of scanning one file. */
export interface ScanResult {
  /** The normalised verdict. Only `"clean"` is clean. */
  verdict: Verdict;
  /** `verdict === "clean"`, for readability at call sites. */
  clean: boolean;
  /** The submission id (or, for a hash hit, the id of the earlier submission). */
  dataId: string;
  /** The name sent for the file. */
  name: string | undefined;
  /** SHA-256 of the content, when known (hex, lower case). */
  sha256: string | undefined;
  /** `scan_all_result_i`. */
  code: number | undefined;
  /** Readable name of `code`. */
  codeName: string | undefined;
  /**
   * Why a clean `code` was not believed (then `verdict` is `"failed"`): an
   * engine reporting a threat or a non-clean code, a text contradicting the
   * code, an unknown `process_info.result`. Empty when the verdict is the code's.
   */
  contradictions: string[];
  /** Threat names reported by the engines, deduplicated. */
  threats: string[];
  /** Per-engine findings, from `scan_details` (not from the overall code). */
  engines: { total: number; detected: number; findings: EngineFinding[] };
  /** `process_info.result` (e.g. "Allowed", "Blocked"). */
  processResult: string | undefined;
  /** Why the rule blocked the file, if it did. */
  blockedReason: string | undefined;
  /** Where the sanitized version can be downloaded, if the rule produced one. */
  sanitized: { dataId: string; fileName: string | undefined } | undefined;
  /** Archive summary, if the file was an archive (iterate children with `archiveChildren`). */
  archive: { files: number; worstDataId: string | undefined } | undefined;
  /** How the result was obtained (see {@link ScanOrigin}). */
  origin: ScanOrigin;
  /** What the hash-first lookup came to: why a file was uploaded although `hashFirst` is on, say. */
  lookup: LookupOutcome;
  /**
   * `origin === "lookup"`.
   *
   * @deprecated Read `origin` instead, which also tells an upload from a
   *   resumed analysis. Kept as an alias.
   */
  fromCache: boolean;
  /**
   * Bytes of this content the gateway accepted from this process: the file's
   * size when its upload was accepted (`origin: "upload"`), else 0 — a
   * lookup, an analysis resumed after a crash or found by hash after a lost
   * connection. Refused attempts (503) are not counted, and a one-shot
   * stream is never sent twice.
   */
  uploadedBytes: number;
  /** The server's full result. */
  raw: AnalysisResult;
}

const stringOrUndefined = (value: unknown) => (typeof value === "string" ? value : undefined);

/**
 * Builds a {@link ScanResult} from a finished analysis result.
 *
 * @throws {ResultMismatchError} when `context.sha256` is known and the
 *   result's `file_info.sha256` names other content.
 */
export function toScanResult(
  raw: AnalysisResult,
  context: {
    name: string | undefined;
    sha256: string | undefined;
    origin: ScanOrigin;
    lookup: LookupOutcome;
    uploadedBytes: number;
  },
): ScanResult {
  checkSameContent(raw, context.sha256);
  const verdict = verdictOf(raw);
  const code = raw.scan_results?.scan_all_result_i;
  const findings: EngineFinding[] = Object.entries(raw.scan_results?.scan_details ?? {}).map(
    ([engine, detail]) => ({
      engine,
      code: detail?.scan_result_i,
      threat: detail?.threat_found || undefined,
    }),
  );
  const detected = findings.filter(
    (f) => f.threat || (f.code !== undefined && f.code !== 0 && f.code !== 7),
  ).length;
  const post = raw.process_info?.post_processing;
  const sanitizedRan =
    /sanitiz/i.test(String(post?.actions_ran ?? "")) &&
    !/sanitiz/i.test(String(post?.actions_failed ?? ""));
  const extracted = raw.extracted_files;
  return {
    verdict,
    clean: verdict === "clean",
    dataId: raw.data_id,
    name: context.name ?? raw.file_info?.display_name,
    sha256: (context.sha256 ?? stringOrUndefined(raw.file_info?.sha256))?.toLowerCase(),
    code,
    codeName: code === undefined ? undefined : (SCAN_RESULT_NAMES[code] ?? `Unknown code ${code}`),
    contradictions: contradictionsOf(raw),
    threats: [...new Set(findings.map((f) => f.threat).filter((t): t is string => !!t))],
    engines: { total: raw.scan_results?.total_avs ?? findings.length, detected, findings },
    processResult: raw.process_info?.result,
    blockedReason: raw.process_info?.blocked_reason || undefined,
    sanitized: sanitizedRan
      ? { dataId: raw.data_id, fileName: post?.converted_destination || undefined }
      : undefined,
    archive: extracted
      ? {
          files: extracted.files_extracted_count ?? extracted.files_in_archive?.length ?? 0,
          // Only an id that can be polled as it is (see `archiveChildren`).
          worstDataId: isPlainId(extracted.worst_data_id) ? extracted.worst_data_id : undefined,
        }
      : undefined,
    origin: context.origin,
    lookup: context.lookup,
    fromCache: context.origin === "lookup",
    uploadedBytes: context.origin === "upload" ? context.uploadedBytes : 0,
    raw,
  };
}

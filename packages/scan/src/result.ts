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
  /** Whether the result came from a hash lookup (nothing was uploaded). */
  fromCache: boolean;
  /** Bytes uploaded for this file (0 for a hash hit). */
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
    fromCache: boolean;
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
    fromCache: context.fromCache,
    uploadedBytes: context.uploadedBytes,
    raw,
  };
}

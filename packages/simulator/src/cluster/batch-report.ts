/**
 * What the gateway says about a batch: the JSON status (`getBatchStatus`,
 * `closeBatch`) and the first YAML document of the signed certificate.
 */

import { type Batch, batchStateAt } from "./batch-store.js";
import { TOTAL_AVS } from "./engines.js";
import type { FileNode } from "./file-node.js";
import { fileSummary, type Json, type Page } from "./file-result.js";
import { stateAt } from "./file-state.js";
import { blockedReason, codeText, processResult, verdicts } from "./verdicts.js";
import type { YamlMap } from "./yaml.js";

const iso = (ms: number) => new Date(ms).toISOString();

/** The JSON status of a batch with one page of its files. */
export function batchStatus(batch: Batch, now: number, page: Page, epoch: number): Json {
  const state = batchStateAt(batch, now);
  const files: Json[] = [];
  const end = Math.min(batch.files.length, page.first + page.size);
  for (let i = page.first; i < end; i++)
    files.push(fileSummary(batch.files[i] as FileNode, now, epoch));
  const reason = state.finished ? blockedReason(state.code) : "";
  return {
    batch_files: {
      batch_count: batch.files.length,
      files_in_batch: files,
      first_index: page.first,
      page_size: page.size,
    },
    batch_id: batch.id,
    is_closed: batch.closed,
    process_info: {
      blocked_reason: reason,
      blocked_reasons: reason ? [reason] : [],
      file_type_skipped_scan: false,
      profile: batch.rule.name,
      progress_percentage: state.progress,
      result: processResult(state.code),
      user_agent: batch.userAgent,
      username: batch.username,
      verdicts: verdicts(state.code),
    },
    scan_results: {
      batch_id: batch.id,
      scan_all_result_a: codeText(state.code),
      scan_all_result_i: state.code,
      start_time: iso(state.startedAt),
      total_avs: TOTAL_AVS,
      total_time: Math.round(state.totalTimeMs),
    },
    user_data: batch.userData,
  };
}

/** Options of {@link certificateDocument}. */
export interface CertificateOptions {
  /** `cert_sha1_fingerprint`. */
  fingerprint: string;
  /** Add `vulnerability_info` to each file (`metadata: {"include_vul_info": true}`). */
  includeVulnerabilityInfo: boolean;
}

/** The batch result that gets signed, as a YAML mapping (every file, not a page). */
export function certificateDocument(
  batch: Batch,
  now: number,
  options: CertificateOptions,
): YamlMap {
  const state = batchStateAt(batch, now);
  const reason = blockedReason(state.code);
  return {
    batch_id: batch.id,
    user_data: batch.userData,
    cert_sha1_fingerprint: options.fingerprint,
    batch_files: {
      batch_count: batch.files.length,
      files_in_batch: batch.files.map((file) => {
        const fileState = stateAt(file, now);
        const fileReason = blockedReason(fileState.code);
        return {
          data_id: file.dataId,
          display_name: file.name,
          file_size: file.size,
          scan_all_result_i: fileState.code,
          process_info: {
            blocked_reason: fileReason || null,
            result: processResult(fileState.code),
          },
          sha256: file.sha256,
          vulnerability_info: options.includeVulnerabilityInfo
            ? { verdict: 0, details: [] }
            : undefined,
        };
      }),
    },
    process_info: {
      blocked_reason: reason || null,
      file_type_skipped_scan: false,
      profile: batch.rule.name,
      result: processResult(state.code),
      user_agent: batch.userAgent,
    },
    scan_results: {
      scan_all_result_a: codeText(state.code),
      scan_all_result_i: state.code,
      start_time: iso(state.startedAt),
      total_avs: TOTAL_AVS,
      total_time: Math.round(state.totalTimeMs),
    },
  };
}

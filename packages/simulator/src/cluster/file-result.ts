/**
 * The JSON the gateway answers for a file: the full analysis result
 * (`GET /file/{data_id}`, `GET /hash/{hash}`) and the one-line summaries of
 * `extracted_files.files_in_archive` and `batch_files.files_in_batch`.
 */
import { engineReport, TOTAL_AVS } from "./engines.js";
import { type FileNode, type Submission, submissionOf } from "./file-node.js";
import { childrenDone, type FileState, stateAt, worstChild } from "./file-state.js";
import { convertedName } from "./sanitized-file.js";
import { blockedReason, codeText, processResult, verdicts } from "./verdicts.js";

/** A page of a list: index of the first item and how many. */
export interface Page {
  first: number;
  size: number;
}

/** JSON object. */
export type Json = Record<string, unknown>;

const iso = (ms: number) => new Date(ms).toISOString();

/** The verdict the engines report: the final one, or the content's while unfinished or cancelled. */
function engineVerdict(node: FileNode, state: FileState): number {
  return state.finished && !state.cancelled ? state.code : node.code;
}

/** Whether a sanitized copy of `node` can be downloaded at `now`. */
export function sanitizedReady(node: FileNode, now: number): boolean {
  if (node.parent) return false;
  const submission = submissionOf(node);
  if (!submission.rule.sanitize || !submission.sanitizedPath) return false;
  const state = stateAt(node, now);
  return state.finished && !state.cancelled;
}

function processInfo(node: FileNode, submission: Submission, state: FileState, now: number): Json {
  const reason = state.finished ? blockedReason(state.code) : "";
  const info: Json = {
    blocked_reason: reason,
    blocked_reasons: reason ? [reason] : [],
    file_type_skipped_scan: false,
    outdated_data: [],
    processing_time: Math.round(
      (state.finished ? (state.cancelledAt ?? state.window.end) : now) - state.window.start,
    ),
    profile: submission.rule.name,
    progress_percentage: state.progress,
    queue_time: 0,
    result: processResult(state.code),
    user_agent: submission.userAgent,
    username: submission.username,
    verdicts: verdicts(state.code),
  };
  info.post_processing = postProcessing(node, submission, now);
  return info;
}

/**
 * `process_info.post_processing`: always present, with empty values while
 * nothing ran (in progress, no sanitizing rule, a file from an archive,
 * cancelled), as the gateway's results carry it; integrations read it
 * without checking that it exists.
 */
function postProcessing(node: FileNode, submission: Submission, now: number): Json {
  if (submission.rule.sanitize && !node.parent && sanitizedReady(node, now)) {
    const converted = convertedName(node);
    return {
      actions_failed: "",
      actions_ran: "Sanitized",
      converted_destination: converted.name,
      converted_to: converted.extension,
      copy_move_destination: "",
      sanitization_details: { description: "Sanitized successfully.", details: [] },
    };
  }
  return {
    actions_failed: "",
    actions_ran: "",
    converted_destination: "",
    converted_to: "",
    copy_move_destination: "",
  };
}

/** The summary of one file in an archive or batch listing. */
export function fileSummary(node: FileNode, now: number, epoch: number): Json {
  const state = stateAt(node, now);
  const engines = engineReport(state, engineVerdict(node, state), now, epoch);
  const reason = state.finished ? blockedReason(state.code) : "";
  return {
    data_id: node.dataId,
    detected_by: engines.detectedBy,
    display_name: node.name,
    file_size: node.size,
    file_type: node.type.mime,
    file_type_description: node.type.description,
    process_info: {
      blocked_reason: reason,
      progress_percentage: state.progress,
      result: processResult(state.code),
      verdicts: verdicts(state.code),
    },
    progress_percentage: state.progress,
    scan_all_result_a: codeText(state.code),
    scan_all_result_i: state.code,
    scanned_with: engines.scannedWith,
    sha256: node.sha256,
  };
}

function extractedFiles(
  node: FileNode,
  children: FileNode[],
  now: number,
  page: Page,
  epoch: number,
): Json {
  const files: Json[] = [];
  const end = Math.min(children.length, page.first + page.size);
  for (let i = page.first; i < end; i++) {
    const { sha256: _sha256, ...summary } = fileSummary(children[i] as FileNode, now, epoch);
    files.push(summary);
  }
  const worst = worstChild(node, now);
  return {
    files_extracted_count: children.length,
    files_in_archive: files,
    first_index: page.first,
    page_size: page.size,
    ...(worst ? { worst_data_id: worst.dataId } : {}),
  };
}

/** The full analysis result of `node` at `now`, with the requested page of extracted files. */
export function analysisResult(node: FileNode, now: number, page: Page, epoch: number): Json {
  const submission = submissionOf(node);
  const state = stateAt(node, now);
  const engines = engineReport(state, engineVerdict(node, state), now, epoch);
  const scanResults: Json = {
    data_id: node.dataId,
    progress_percentage: state.progress,
    scan_all_result_a: codeText(state.code),
    scan_all_result_i: state.code,
    scan_details: engines.details,
    start_time: iso(state.window.start),
    total_avs: TOTAL_AVS,
    total_time: state.finished
      ? Math.round((state.cancelledAt ?? state.window.end) - state.window.start)
      : 0,
  };
  const done = childrenDone(node, now);
  if (done > 0 && node.children) {
    scanResults.last_file_scanned = (node.children[done - 1] as FileNode).name;
  }
  const result: Json = {
    data_id: node.dataId,
    file_info: {
      display_name: node.name,
      file_size: node.size,
      file_type: node.type.mime,
      file_type_description: node.type.description,
      file_type_id: node.type.id,
      md5: node.md5,
      sha1: node.sha1,
      sha256: node.sha256,
      upload_timestamp: iso(submission.startedAt),
    },
    process_info: processInfo(node, submission, state, now),
    scan_results: scanResults,
  };
  if (node.children) result.extracted_files = extractedFiles(node, node.children, now, page, epoch);
  return result;
}

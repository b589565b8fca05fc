import type { components, operations } from "./generated/schema.js";

type Schemas = components["schemas"];

/** The full analysis report of a file (`GET /file/{data_id}`, `GET /hash/{hash}`). */
export type AnalysisResult = Schemas["AnalysisResult"];
/** Scan part of an analysis report: overall verdict code, per-engine details, progress. */
export type ScanResults = Schemas["ScanResults"];
/** Processing part of an analysis report: result, blocked reason, post-processing, progress. */
export type ProcessInfo = Schemas["ProcessInfo"];
/** Metadata of the analysed file: name, size, type, hashes. */
export type FileInfo = Schemas["FileInfo"];
/** Page of an archive's children within an analysis report. */
export type ExtractedFiles = Schemas["ExtractedFiles"];
/** One child of an archive within an analysis report. */
export type ExtractedFile = Schemas["ExtractedFile"];
/** Post-processing (sanitization, conversion) outcome of an analysis. */
export type PostProcessing = Schemas["PostProcessing"];
/** One engine's verdict within `scan_details`. */
export type EngineScanDetail = Schemas["EngineScanDetail"];
/** The numeric verdict codes of `scan_all_result_i` and `scan_result_i`. */
export type ScanResultCode = Schemas["ScanResultCode"];
/** `{ "<id>": "Not Found" }`, answered with HTTP 200 for an unknown hash or data_id. */
export type NotFoundResult = Schemas["NotFoundResult"];
/** A processing rule and its file size limit. */
export type Rule = Schemas["Rule"];
/** Status of a batch with a page of its files. */
export type BatchStatus = Schemas["BatchStatus"];
/** Answer of `POST /file`: the `data_id` of the submission. */
export type FileSubmission = Schemas["FileSubmission"];
/** Answer of `POST /login`: the session to use as `apikey`. */
export type LoginResponse = Schemas["LoginResponse"];
/** The request headers of `POST /file` (filename, rule, batch, archivepwd, metadata, ...). */
export type AnalyzeFileHeaders = operations["analyzeFile"]["parameters"]["header"];

/**
 * Whether a 200 answer of `getAnalysisResult` or `lookupHash` is the
 * gateway's "Not Found" object rather than a report.
 *
 * @example
 * ```ts
 * const { data } = await cluster.GET("/hash/{hash}", { params: { path: { hash } } });
 * if (data && isNotFoundResult(data)) console.log("never seen");
 * ```
 */
export function isNotFoundResult(value: unknown): value is NotFoundResult {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return entries.length === 1 && entries[0]?.[1] === "Not Found";
}

import type { AnalysisResult } from "@mdkit/cluster";
import { contradictionsOf, processResultOf, saysInProgress } from "./contradictions.js";

/**
 * The normalised outcome of a finished analysis. Only `clean` means the
 * server examined the file and found nothing; every other value, and every
 * unknown code, is not clean.
 *
 * - `clean`: no threat found (codes 0 "No threat detected", 7 "Skipped clean").
 * - `infected`: a threat (1 infected, 4 cleaned/deleted, 6 quarantined, 8 skipped infected).
 * - `suspicious`: a finding short of a known threat (2 suspicious, 17 type mismatch,
 *   18 potentially vulnerable, 20 sensitive data, 21 YARA match, 22 potentially unwanted).
 * - `blocked`: no threat found, but the rule blocked the file (`process_info.result` "Blocked")
 *   for another reason, e.g. an encrypted archive; see `blockedReason`.
 * - `incomplete`: the file could not be fully analysed and was not blocked (9 archive depth,
 *   12 encrypted, 13/14/16 archive limits, 15 password protected, 23 unsupported type).
 * - `failed`: the analysis failed (3 failed, 5 unknown, 10 not scanned, 11 aborted), the code is
 *   unknown, or the result contradicts its clean code (see {@link verdictOf}).
 * - `cancelled`: the analysis was cancelled (19).
 */
export type Verdict =
  | "clean"
  | "infected"
  | "suspicious"
  | "blocked"
  | "incomplete"
  | "failed"
  | "cancelled";

/** Names of the `scan_all_result_i` codes. */
export const SCAN_RESULT_NAMES: Readonly<Record<number, string>> = {
  0: "No threat detected",
  1: "Infected",
  2: "Suspicious",
  3: "Failed",
  4: "Cleaned / deleted",
  5: "Unknown",
  6: "Quarantined",
  7: "Skipped clean",
  8: "Skipped infected",
  9: "Exceeded archive depth",
  10: "Not scanned",
  11: "Aborted",
  12: "Encrypted",
  13: "Exceeded archive size",
  14: "Exceeded archive file number",
  15: "Password protected document",
  16: "Exceeded archive timeout",
  17: "File type mismatch",
  18: "Potentially vulnerable file",
  19: "Cancelled",
  20: "Sensitive data found",
  21: "YARA rule matched",
  22: "Potentially unwanted program",
  23: "Unsupported file type",
  254: "In queue",
  255: "In progress",
};

const BY_CODE: Readonly<Record<number, Verdict>> = {
  0: "clean",
  7: "clean",
  1: "infected",
  4: "infected",
  6: "infected",
  8: "infected",
  2: "suspicious",
  17: "suspicious",
  18: "suspicious",
  20: "suspicious",
  21: "suspicious",
  22: "suspicious",
  9: "incomplete",
  12: "incomplete",
  13: "incomplete",
  14: "incomplete",
  15: "incomplete",
  16: "incomplete",
  23: "incomplete",
  3: "failed",
  5: "failed",
  10: "failed",
  11: "failed",
  19: "cancelled",
};

/** Codes that mean "not finished yet". */
export const IN_PROGRESS_CODES: ReadonlySet<number> = new Set([254, 255]);

/**
 * The verdict of a finished result, keyed on the numeric codes. Unknown
 * codes and malformed results are `failed`, never `clean`; a clean scan of a
 * file the rule blocked (`process_info.result` "Blocked", compared trimmed
 * and case-insensitively) is `blocked`.
 *
 * A clean code is believed only without contradiction (see
 * {@link contradictionsOf}): an engine reporting a threat or a non-clean
 * code, an unknown or contradicting text, an unknown `process_info.result`.
 * Such a result is `failed` rather than `suspicious`: the server contradicted
 * itself, so the answer is unknown, and `failed` is what every consumer
 * already treats that way (the CLI exits 2 whatever `--fail-on` says, where
 * `suspicious` would pass a `--fail-on infected` gate). The threat names
 * stay in the result's `threats`, the reasons in its `contradictions`.
 *
 * @example
 * ```ts
 * const { data } = await cluster.GET("/file/{data_id}", { params: { path: { data_id: dataId } } });
 * // The document's `{ "<data_id>": "Not Found" }` answer is not a result: narrow it out first.
 * if (data && !isNotFoundResult(data)) {
 *   // "clean", "infected", "suspicious", "blocked", "failed", ...: never "clean"
 *   // from a result that contradicts itself or is not finished.
 *   if (isFinished(data)) console.log(verdictOf(data));
 * }
 * ```
 */
export function verdictOf(result: AnalysisResult): Verdict {
  const code: unknown = result.scan_results?.scan_all_result_i;
  if (typeof code !== "number") return "failed";
  const verdict = BY_CODE[code] ?? "failed";
  if (verdict === "clean" && contradictionsOf(result).length > 0) return "failed";
  const blocked = processResultOf(result) === "blocked";
  if ((verdict === "clean" || verdict === "incomplete") && blocked) return "blocked";
  return verdict;
}

/**
 * Whether every progress field the result carries reached 100: the scan,
 * the processing and, where present, post-processing such as sanitization.
 * A result without any progress field is not finished, nor one whose code
 * (254, 255) or text (`scan_all_result_a` "In Progress", `process_info.result`
 * "Processing", compared trimmed and case-insensitively) says it is running.
 *
 * @example
 * ```ts
 * const { data } = await cluster.GET("/file/{data_id}", { params: { path: { data_id: dataId } } });
 * // The document's `{ "<data_id>": "Not Found" }` answer is not a result: narrow it out first.
 * if (data && !isNotFoundResult(data)) {
 *   if (isFinished(data)) console.log(verdictOf(data));
 *   else console.log(`${progressOf(data)} % done`);
 * }
 * ```
 */
export function isFinished(result: AnalysisResult): boolean {
  const scan: unknown = result.scan_results?.progress_percentage;
  const process: unknown = result.process_info?.progress_percentage;
  if (scan === undefined && process === undefined) return false;
  const done = (value: unknown) =>
    value === undefined || (typeof value === "number" && value >= 100);
  if (!done(scan) || !done(process)) return false;
  const code = result.scan_results?.scan_all_result_i;
  if (typeof code === "number" && IN_PROGRESS_CODES.has(code)) return false;
  // A text saying "In Progress" (or "Processing") beside a final code: not finished either.
  return !saysInProgress(result);
}

/**
 * The overall progress of a result, 0–100: the least advanced of its progress fields.
 *
 * @example
 * ```ts
 * const { data } = await cluster.GET("/file/{data_id}", { params: { path: { data_id: dataId } } });
 * // The document's `{ "<data_id>": "Not Found" }` answer is not a result: narrow it out first.
 * if (data && !isNotFoundResult(data)) {
 *   console.log(`${progressOf(data)} % done`); // e.g. "40 % done"
 * }
 * ```
 */
export function progressOf(result: AnalysisResult): number {
  const values = [
    result.scan_results?.progress_percentage,
    result.process_info?.progress_percentage,
  ].filter((v): v is number => typeof v === "number");
  return values.length ? Math.max(0, Math.min(100, ...values)) : 0;
}

/** How bad each verdict is, for {@link worstVerdict}: a threat first, then an unknown answer. */
const RANK: Readonly<Record<Verdict, number>> = {
  clean: 0,
  blocked: 1,
  incomplete: 2,
  cancelled: 3,
  failed: 4,
  suspicious: 5,
  infected: 6,
};

/**
 * The worst of several verdicts (of a batch's files, say): `infected`, then
 * `suspicious`, `failed`, `cancelled`, `incomplete`, `blocked`, and `clean`
 * only when every one is clean. An empty list is `failed`: nothing was shown clean.
 *
 * @example
 * ```ts
 * worstVerdict(["clean", "infected", "failed"]); // "infected"
 * ```
 */
export function worstVerdict(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.length === 0) return "failed";
  return verdicts.reduce((worst, v) => ((RANK[v] ?? RANK.failed) > RANK[worst] ? v : worst));
}

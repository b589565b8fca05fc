import type { AnalysisResult } from "@mdkit/cluster";

/** Codes of `scan_all_result_i` / `scan_result_i` that mean "nothing found". */
export const CLEAN_CODES: ReadonlySet<number> = new Set([0, 7]);

/**
 * The wordings of `scan_all_result_a` (and of `process_info.verdicts`)
 * accepted for each clean code, normalised (trimmed, lower case, single
 * spaces). Any other text beside a clean code contradicts it.
 */
const CLEAN_TEXTS: Readonly<Record<number, readonly string[]>> = {
  0: ["no threat detected", "no threats detected"],
  7: ["skipped clean", "allowlisted", "whitelisted"],
};

/** Texts that say the analysis is not finished, whatever the code says. */
const IN_PROGRESS_TEXTS: ReadonlySet<string> = new Set(["in progress", "in queue", "processing"]);

/** The values of `process_info.result` mdkit understands, normalised. */
const PROCESS_RESULTS: ReadonlySet<string> = new Set(["allowed", "blocked", "processing"]);

/** A server text as compared: trimmed, lower case, runs of white space as one space. */
export function normalizeText(value: string): string {
  return value.trim().toLowerCase().replace(/\s+/g, " ");
}

/** A server value quoted in a message: JSON, cut to 64 characters. */
const quote = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 64 ? `${text.slice(0, 63)}…` : text;
};

/** `process_info.result`, normalised; `undefined` when absent, `null` when not a text. */
export function processResultOf(
  result: Pick<AnalysisResult, "process_info">,
): string | null | undefined {
  const value: unknown = result.process_info?.result;
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? normalizeText(value) : null;
}

/**
 * Whether a text of the result (`scan_all_result_a`, `process_info.result`)
 * says the analysis is still running, even beside a finished-looking code.
 */
export function saysInProgress(result: AnalysisResult): boolean {
  const text: unknown = result.scan_results?.scan_all_result_a;
  if (typeof text === "string" && IN_PROGRESS_TEXTS.has(normalizeText(text))) return true;
  return processResultOf(result) === "processing";
}

function engineContradictions(result: AnalysisResult): string[] {
  const details: unknown = result.scan_results?.scan_details;
  if (details === undefined || details === null) return [];
  if (typeof details !== "object") return ["scan_details is not an object"];
  const out: string[] = [];
  for (const [engine, detail] of Object.entries(details as Record<string, unknown>)) {
    if (typeof detail !== "object" || detail === null) {
      out.push(`engine ${quote(engine)} has no readable result`);
      continue;
    }
    const code: unknown = (detail as { scan_result_i?: unknown }).scan_result_i;
    const threat: unknown = (detail as { threat_found?: unknown }).threat_found;
    if (typeof code !== "number") out.push(`engine ${quote(engine)} reports no result code`);
    else if (!CLEAN_CODES.has(code))
      out.push(
        `engine ${quote(engine)} reports code ${code}${threat ? ` (${quote(threat)})` : ""}`,
      );
    else if (threat) out.push(`engine ${quote(engine)} names a threat, ${quote(threat)}`);
  }
  return out;
}

/**
 * Children of an archive listed in the result (the page the gateway sent)
 * that are not clean: a child with a non-clean code, or with engines that
 * detected something, cannot sit under a clean archive.
 */
function childContradictions(result: AnalysisResult): string[] {
  const listed: unknown = result.extracted_files?.files_in_archive;
  if (listed === undefined || listed === null) return [];
  if (!Array.isArray(listed)) return ["extracted_files.files_in_archive is not a list"];
  const out: string[] = [];
  for (const child of listed as unknown[]) {
    if (typeof child !== "object" || child === null) {
      out.push("an extracted file has no readable result");
      continue;
    }
    const { display_name, data_id, scan_all_result_i, detected_by } = child as Record<
      string,
      unknown
    >;
    const name = quote(display_name ?? data_id ?? "?");
    if (scan_all_result_i !== undefined && !CLEAN_CODES.has(scan_all_result_i as number))
      out.push(`extracted file ${name} has code ${quote(scan_all_result_i)}`);
    else if (detected_by !== undefined && detected_by !== 0)
      out.push(`extracted file ${name} was detected by ${quote(detected_by)} engine(s)`);
  }
  return out;
}

function textContradictions(result: AnalysisResult, code: number): string[] {
  const out: string[] = [];
  const accepted = CLEAN_TEXTS[code] ?? [];
  const text: unknown = result.scan_results?.scan_all_result_a;
  if (text !== undefined && text !== null) {
    if (typeof text !== "string" || !accepted.includes(normalizeText(text)))
      out.push(`scan_all_result_a is ${quote(text)} beside code ${code}`);
  }
  const processResult = processResultOf(result);
  if (processResult === null) out.push("process_info.result is not a text");
  else if (processResult !== undefined && !PROCESS_RESULTS.has(processResult))
    out.push(`process_info.result ${quote(result.process_info?.result)} is not a known value`);
  else if (processResult === "processing")
    out.push("process_info.result says it is still processing");
  const verdicts: unknown = result.process_info?.verdicts;
  if (verdicts !== undefined && verdicts !== null) {
    const list = Array.isArray(verdicts) ? verdicts : [verdicts];
    for (const v of list) {
      if (typeof v !== "string" || !accepted.includes(normalizeText(v)))
        out.push(`process_info.verdicts lists ${quote(v)} beside code ${code}`);
    }
  }
  return out;
}

/**
 * Evidence in a result that contradicts its clean overall code
 * (`scan_all_result_i` 0 or 7): an engine that reports a threat, a non-clean
 * code or no code at all; a `scan_all_result_a` or `process_info.verdicts`
 * text other than the clean wordings of that code; a `process_info.result`
 * that is unknown (compared trimmed and case-insensitively) or still
 * "Processing"; an extracted file of an archive listed with a non-clean
 * code or with detections. Empty when nothing contradicts it, and always empty for a
 * code that is not clean (such a result is not clean anyway).
 *
 * @example
 * ```ts
 * const why = contradictionsOf(raw); // ["engine \"ClamAV\" reports code 1 (\"EICAR-Test-File\")"]
 * ```
 */
export function contradictionsOf(result: AnalysisResult): string[] {
  const code: unknown = result.scan_results?.scan_all_result_i;
  if (typeof code !== "number" || !CLEAN_CODES.has(code)) return [];
  return [
    ...engineContradictions(result),
    ...childContradictions(result),
    ...textContradictions(result, code),
  ];
}

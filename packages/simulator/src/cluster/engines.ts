/**
 * The simulated anti-malware engines of `scan_results.scan_details`. Engine
 * `k` of `n` reports when `(k + 1) / n` of the file's window has passed, so
 * an unfinished result lists the engines that are done; each engine agrees
 * with the file's verdict (the suspicious marker is flagged by one engine).
 */
import type { FileState } from "./file-state.js";
import { Code } from "./verdicts.js";

const ENGINES = [
  { name: "ClamAV", engId: "clamav_1_linux" },
  { name: "Bitdefender", engId: "bitdefender_1_linux" },
  { name: "K7", engId: "k7_1_linux" },
] as const;

/** `total_avs`: the number of simulated engines. */
export const TOTAL_AVS = ENGINES.length;

/** The threat name reported for the EICAR test string. */
export const EICAR_THREAT = "EICAR-Test-File (not a virus)";
const MARKER_THREAT = "Suspicious.MDKIT.TestMarker";

/** One engine's entry of `scan_details`. */
export interface EngineDetail {
  def_time: string;
  eng_id: string;
  location: string;
  scan_result_i: number;
  scan_time: number;
  threat_found: string;
  wait_time: number;
}

/** `scan_details`, `detected_by` and `scanned_with` of a file. */
export interface EngineReport {
  details: Record<string, EngineDetail>;
  detectedBy: number;
  scannedWith: number;
}

function engineResult(code: number, k: number): { code: number; threat: string } {
  switch (code) {
    case Code.Infected:
      return { code, threat: EICAR_THREAT };
    case Code.Suspicious:
      return k === 0 ? { code, threat: MARKER_THREAT } : { code: Code.Clean, threat: "" };
    case Code.Failed:
      return { code, threat: "Failed to read the file" };
    default:
      return { code, threat: "" };
  }
}

/**
 * The engines' results at `now` for a file in `state` whose verdict (once
 * finished, without cancellation) is `verdict`. `epoch` dates the
 * definitions. Engines still running when the file was cancelled report 19.
 */
export function engineReport(
  state: FileState,
  verdict: number,
  now: number,
  epoch: number,
): EngineReport {
  const { start, end } = state.window;
  const span = end - start;
  const details: Record<string, EngineDetail> = {};
  let detectedBy = 0;
  let scannedWith = 0;
  ENGINES.forEach((engine, k) => {
    const doneAt = start + (span * (k + 1)) / ENGINES.length;
    const done = state.finished && !state.cancelled ? true : doneAt <= (state.cancelledAt ?? now);
    if (!done && !state.cancelled) return;
    const result = done ? engineResult(verdict, k) : { code: Code.Cancelled, threat: "" };
    if (result.code === Code.Infected || result.code === Code.Suspicious) detectedBy++;
    if (done) scannedWith++;
    details[engine.name] = {
      def_time: new Date(epoch - (k + 1) * 3_600_000).toISOString(),
      eng_id: engine.engId,
      location: "local",
      scan_result_i: result.code,
      scan_time: Math.round(span / ENGINES.length),
      threat_found: result.threat,
      wait_time: k + 1,
    };
  });
  return { details, detectedBy, scannedWith };
}

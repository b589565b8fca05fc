/**
 * Result codes of the simulated gateway (`scan_all_result_i` /
 * `scan_result_i`), their texts and how they rank: the verdict of an
 * archive, a batch or a cancelled tree is the worst code it contains.
 */

/** The codes the simulator produces. */
export const Code = {
  Clean: 0,
  Infected: 1,
  Suspicious: 2,
  Failed: 3,
  NotScanned: 10,
  Encrypted: 12,
  Cancelled: 19,
  InProgress: 255,
} as const;

const TEXT: Record<number, string> = {
  0: "No Threat Detected",
  1: "Infected",
  2: "Suspicious",
  3: "Failed",
  10: "Not Scanned",
  12: "Encrypted",
  19: "Cancelled",
  255: "In Progress",
};

/** `scan_all_result_a` of a code. */
export function codeText(code: number): string {
  return TEXT[code] ?? "Unknown";
}

// Higher is worse. Anything that is not 0 outranks a clean result, so a
// container is never reported clean because of its first child.
const SEVERITY: Record<number, number> = { 0: 0, 1: 6, 2: 5, 12: 4, 19: 3, 3: 2 };

/** How bad a code is, for picking the worst of several. */
export function severity(code: number): number {
  return SEVERITY[code] ?? 1;
}

/** The worse of two codes (the first on a tie). */
export function worse(a: number, b: number): number {
  return severity(b) > severity(a) ? b : a;
}

/** `process_info.blocked_reason` of a finished code ("" when allowed). */
export function blockedReason(code: number): string {
  return code === Code.Clean ? "" : codeText(code);
}

/** `process_info.result`: Allowed, Blocked, or Processing while unfinished. */
export function processResult(code: number): string {
  if (code === Code.InProgress) return "Processing";
  return code === Code.Clean ? "Allowed" : "Blocked";
}

/** `process_info.verdicts` of a code (empty while unfinished). */
export function verdicts(code: number): string[] {
  return code === Code.InProgress ? [] : [codeText(code)];
}

import type { ScanFilesItem, ScanResult } from "@mdkit/scan/node";
import type { Row } from "../output/index.js";

/** The columns of a scan result, in order; `sanitized` only with `--sanitized-to`. */
export function scanColumns(withSanitized: boolean): string[] {
  return [
    "path",
    "name",
    "verdict",
    "threats",
    "sha256",
    "data_id",
    "from_cache",
    ...(withSanitized ? ["sanitized"] : []),
    "error",
  ];
}

/** The verdict shown for a file whose scan failed: it is never a verdict of the gateway. */
export const ERROR_VERDICT = "error";

/** One output row of a finished file. */
export function resultRow(path: string, result: ScanResult): Row {
  return {
    path,
    name: result.name ?? null,
    verdict: result.verdict,
    threats: result.threats,
    sha256: result.sha256 ?? null,
    data_id: result.dataId,
    from_cache: result.fromCache,
    error: null,
  };
}

/** One output row of a file that failed (unreadable, timed out, refused, aborted). */
export function failureRow(
  path: string,
  item: Extract<ScanFilesItem, { ok: false }>,
  message: string,
): Row {
  return {
    path,
    name: item.source?.name ?? null,
    verdict: ERROR_VERDICT,
    threats: [],
    sha256: null,
    data_id: item.dataId ?? null,
    from_cache: false,
    error: message,
  };
}

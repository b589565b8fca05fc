import type { ScanFilesItem, ScanResult } from "@mdkit/scan/node";
import type { Row } from "../output/index.js";
import { ERROR_VERDICT, NOT_SCANNED } from "./outcome.js";

/** The columns of a scan result, in order; `sanitized` only with `--sanitized-to`. */
export function scanColumns(withSanitized: boolean): string[] {
  return [
    "path",
    "name",
    "verdict",
    "threats",
    "found_in",
    "sha256",
    "data_id",
    "from_cache",
    "origin",
    "uploaded_bytes",
    ...(withSanitized ? ["sanitized"] : []),
    "error",
  ];
}

/** One output row of a finished file; `foundIn` names the flagged files inside an archive. */
export function resultRow(path: string, result: ScanResult, foundIn: string[] = []): Row {
  return {
    path,
    name: result.name ?? null,
    verdict: result.verdict,
    threats: result.threats,
    found_in: foundIn,
    sha256: result.sha256 ?? null,
    data_id: result.dataId,
    from_cache: result.fromCache,
    origin: result.origin,
    uploaded_bytes: result.uploadedBytes,
    error: null,
  };
}

/** One output row of a file that failed (unreadable, timed out, refused). */
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
    found_in: [],
    sha256: null,
    data_id: item.dataId ?? null,
    from_cache: false,
    origin: null,
    uploaded_bytes: 0,
    error: message,
  };
}

/** One output row of a file that was not scanned: the run stopped or was interrupted first. */
export function notScannedRow(path: string, name: string | null, reason: string): Row {
  return {
    path,
    name,
    verdict: NOT_SCANNED,
    threats: [],
    found_in: [],
    sha256: null,
    data_id: null,
    from_cache: false,
    origin: null,
    uploaded_bytes: 0,
    error: `not scanned: ${reason}`,
  };
}

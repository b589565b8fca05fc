import type { AnalysisResult } from "@mdkit/cluster";
import { ResultMismatchError } from "../errors.js";

/** A server value as kept in an error: a string cut to 128 characters, else its JSON. */
const received = (value: unknown): string | undefined => {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return text.slice(0, 128);
};

/**
 * Checks that a polled result is about `dataId`: its `data_id` (and
 * `scan_results.data_id`, when present) must be exactly the id polled.
 *
 * @throws {ResultMismatchError} otherwise: a result for another submission is never read.
 */
export function checkResultFor(result: AnalysisResult, dataId: string): AnalysisResult {
  const ids: [string, unknown][] = [["data_id", result.data_id]];
  const inner: unknown = result.scan_results?.data_id;
  if (inner !== undefined) ids.push(["scan_results.data_id", inner]);
  for (const [field, value] of ids) {
    if (value !== dataId) {
      throw new ResultMismatchError(
        `the gateway answered the poll of ${dataId} with a result whose ${field} is another (${value === undefined ? "none" : "a different id"}); it was not read (never clean)`,
        field,
        dataId,
        received(value),
        { dataId },
      );
    }
  }
  return result;
}

/** The `file_info` field holding a hash of this many hex digits. */
const HASH_FIELDS: Readonly<Record<number, "md5" | "sha1" | "sha256" | "sha512">> = {
  32: "md5",
  40: "sha1",
  64: "sha256",
  128: "sha512",
};

/**
 * Checks that a hash lookup's result is for the hash asked: the matching
 * `file_info` field (md5, sha1, sha256 or sha512, by length) must be present
 * and equal to it, case aside.
 *
 * @throws {ResultMismatchError} otherwise.
 */
export function checkHashMatches(result: AnalysisResult, hash: string): void {
  const field = HASH_FIELDS[hash.length] ?? "sha256";
  const value: unknown = (result.file_info as Record<string, unknown> | undefined)?.[field];
  if (typeof value === "string" && value.toLowerCase() === hash.toLowerCase()) return;
  throw new ResultMismatchError(
    `the gateway answered the lookup of ${hash.toLowerCase()} with a result whose file_info.${field} is ${value === undefined ? "absent" : "another hash"}; it was not used`,
    `file_info.${field}`,
    hash.toLowerCase(),
    received(value),
  );
}

/**
 * Checks that a result is about the content whose SHA-256 is `sha256` (when
 * known): its `file_info.sha256`, when present, must be that hash. A result
 * about other content says nothing about this content.
 *
 * @throws {ResultMismatchError} otherwise.
 */
export function checkSameContent(result: AnalysisResult, sha256: string | undefined): void {
  const value: unknown = result.file_info?.sha256;
  if (sha256 === undefined || value === undefined || value === null) return;
  if (typeof value === "string" && value.toLowerCase() === sha256.toLowerCase()) return;
  throw new ResultMismatchError(
    `the result of ${String(result.data_id)} is for other content (file_info.sha256 is not ${sha256.toLowerCase()}); it was not used (never clean)`,
    "file_info.sha256",
    sha256.toLowerCase(),
    received(value),
    { dataId: typeof result.data_id === "string" ? result.data_id : undefined },
  );
}

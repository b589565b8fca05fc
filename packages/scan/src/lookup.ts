import { type AnalysisResult, type ClusterClient, isNotFoundResult, unwrap } from "@mdkit/cluster";
import type { RetryOptions } from "@mdkit/core";
import { InvalidInputError } from "./errors.js";
import { checkHashMatches } from "./internal/evidence.js";
import { checkServerId } from "./internal/ids.js";
import { type ScanResult, toScanResult } from "./result.js";
import { isFinished } from "./verdict.js";

/** Options of {@link lookupHash}. */
export interface LookupHashOptions {
  /** Only results produced by this rule count. */
  rule?: string | undefined;
  /** For archives: only the archive itself, not its children. Default false. */
  selfOnly?: boolean | undefined;
  /** Only results from the last N hours (0 = all time). Default 0. */
  timeRangeHours?: number | undefined;
  /** Also report an analysis of this hash that is still running. Default false. */
  includeInProgress?: boolean | undefined;
  /** Cancels the request. */
  signal?: AbortSignal | undefined;
  /**
   * The client's retry policy for this lookup; `false` for one attempt
   * (`scanFile`'s hash-first lookup is an optimisation: when it fails, the
   * file is uploaded instead). Default: the client's.
   */
  retry?: RetryOptions | false | undefined;
}

/** What a hash lookup found. */
export type HashLookup =
  | { status: "found"; result: ScanResult }
  | { status: "in-progress"; dataId: string; raw: AnalysisResult }
  | { status: "not-found" };

/**
 * Looks a file up by MD5, SHA-1, SHA-256 or SHA-512 without uploading it.
 * The gateway answers an unknown hash with HTTP 200 and `{"<hash>": "Not
 * Found"}`; that is `status: "not-found"`, not an error.
 *
 * @example
 * ```ts
 * const hit = await lookupHash(cluster, sha256, { rule: "multiscan" });
 * if (hit.status === "found") console.log(hit.result.verdict);
 * ```
 */
export async function lookupHash(
  client: ClusterClient,
  hash: string,
  options: LookupHashOptions = {},
): Promise<HashLookup> {
  if (!/^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$/i.test(hash))
    throw new InvalidInputError(
      "a hash is 32, 40, 64 or 128 hex digits (MD5, SHA-1, SHA-256, SHA-512)",
    );
  const header: Record<string, string | number | boolean> = {};
  if (options.rule) header.rule = encodeURIComponent(options.rule);
  if (options.selfOnly !== undefined) header.selfonly = options.selfOnly;
  if (options.timeRangeHours !== undefined) header.timerange = options.timeRangeHours;
  if (options.includeInProgress !== undefined)
    header["include-inprogress"] = options.includeInProgress;
  const data = await unwrap(
    client.GET("/hash/{hash}", {
      params: { path: { hash: hash.toLowerCase() }, header },
      signal: options.signal,
      ...(options.retry !== undefined ? { retry: options.retry } : {}),
    }),
  );
  if (isNotFoundResult(data) || !data || typeof data !== "object") return { status: "not-found" };
  const raw = data as AnalysisResult;
  checkHashMatches(raw, hash);
  const dataId = checkServerId(raw.data_id, "data_id", "the gateway's answer to the hash lookup");
  if (!isFinished(raw)) return { status: "in-progress", dataId, raw };
  return {
    status: "found",
    result: toScanResult(raw, {
      name: undefined,
      sha256: hash.length === 64 ? hash.toLowerCase() : undefined,
      origin: "lookup",
      lookup: { status: "found" },
      uploadedBytes: 0,
    }),
  };
}

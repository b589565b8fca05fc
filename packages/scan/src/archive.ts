import {
  type AnalysisResult,
  type ClusterClient,
  type ExtractedFile,
  isNotFoundResult,
  unwrap,
} from "@mdkit/cluster";
import { checkResultFor } from "./internal/evidence.js";
import { checkServerId, isPlainId } from "./internal/ids.js";
import { SCAN_RESULT_NAMES, type Verdict, verdictOf } from "./verdict.js";

/** One file inside an archive, with its verdict. */
export interface ArchiveChild {
  /**
   * Its own submission id: `GET /file/{dataId}` has its full result.
   * `undefined` when the server gave none or one that is not a plain token
   * (then `verdict` is `"failed"`: the child cannot be followed).
   */
  dataId: string | undefined;
  /** Name inside the archive. */
  name: string | undefined;
  /** Normalised verdict (from the child's own codes, never from the parent's). */
  verdict: Verdict;
  /** `scan_all_result_i` of the child. */
  code: number | undefined;
  /** Readable name of `code`. */
  codeName: string | undefined;
  /** Engines that reported a threat / engines that scanned it. */
  detectedBy: number | undefined;
  scannedWith: number | undefined;
  /** The server's entry. */
  raw: ExtractedFile;
}

/** Options of {@link archiveChildren}. */
export interface ArchiveChildrenOptions {
  /** Entries per request (`size`). Default 100. */
  pageSize?: number;
  /** Cancels the iteration. */
  signal?: AbortSignal;
}

function toChild(entry: ExtractedFile): ArchiveChild {
  const code = entry.scan_all_result_i;
  const text = (entry as { scan_all_result_a?: unknown }).scan_all_result_a;
  const followable = isPlainId(entry.data_id);
  const verdict = followable
    ? verdictOf({
        data_id: entry.data_id,
        scan_results: {
          scan_all_result_i: code,
          progress_percentage: entry.progress_percentage,
          ...(text === undefined ? {} : { scan_all_result_a: text }),
        },
        process_info: entry.process_info,
      } as AnalysisResult)
    : "failed";
  return {
    dataId: followable ? entry.data_id : undefined,
    name: entry.display_name,
    verdict,
    code,
    codeName: code === undefined ? undefined : SCAN_RESULT_NAMES[code],
    detectedBy: entry.detected_by,
    scannedWith: entry.scanned_with,
    raw: entry,
  };
}

/**
 * Every file of an archive, page by page (`first` / `size`), as an async
 * iterator: memory stays flat for archives of any size. Nested archives
 * appear as children whose own `dataId` can be iterated in turn. A page
 * answered for another `data_id` ends the iteration with a `ResultMismatchError`.
 *
 * @example
 * ```ts
 * for await (const child of archiveChildren(cluster, result.dataId)) {
 *   if (child.verdict !== "clean") console.log(child.name, child.verdict);
 * }
 * ```
 */
export async function* archiveChildren(
  client: ClusterClient,
  dataId: string,
  options: ArchiveChildrenOptions = {},
): AsyncGenerator<ArchiveChild> {
  checkServerId(dataId, "data_id", "the archive to list");
  const size = options.pageSize ?? 100;
  for (let first = 0; ; ) {
    const data = await unwrap(
      client.GET("/file/{data_id}", {
        params: { path: { data_id: dataId }, query: { first, size } },
        signal: options.signal,
      }),
    );
    if (isNotFoundResult(data)) return;
    const extracted = checkResultFor(data as AnalysisResult, dataId).extracted_files;
    const page = extracted?.files_in_archive ?? [];
    for (const entry of page) yield toChild(entry);
    const total = extracted?.files_extracted_count;
    first += page.length;
    if (
      page.length === 0 ||
      (total !== undefined && first >= total) ||
      (total === undefined && page.length < size)
    )
      return;
  }
}

import { sep } from "node:path";
import type { ClusterClient } from "@mdkit/cluster";
import { downloadSanitized, type ScanFilesItem, type ScanResult } from "@mdkit/scan/node";
import type { Context } from "../context.js";
import type { Row } from "../output/index.js";
import { flaggedPaths } from "./archive-paths.js";
import { failureRow, resultRow } from "./rows.js";

/** What became of one file: its output row, its verdict (none when it failed) and the failure. */
export interface Settled {
  /** The output row. */
  row: Row;
  /** The gateway's verdict; `undefined` when the file failed (a failure is never clean). */
  verdict: string | undefined;
  /** The gateway's result, when there is one. */
  result: ScanResult | undefined;
  /** The error, and what failed, when the file failed. */
  failure: { error: unknown; what: string } | undefined;
}

/**
 * Turns a `scanFiles` item into its row: for a flagged archive, the paths
 * of the flagged files inside it; with `sanitizedDir`, the sanitized
 * version downloaded when the rule produced one (a failed download fails
 * the file: what was asked for was not delivered).
 */
export async function settle(
  ctx: Context,
  client: ClusterClient,
  item: ScanFilesItem,
  path: string,
  sanitizedDir: string | undefined,
): Promise<Settled> {
  if (!item.ok) {
    const row = failureRow(path, item, ctx.scrub(ctx.messageOf(item.error)));
    return { row, verdict: undefined, result: undefined, failure: { error: item.error, what: "" } };
  }
  const { result } = item;
  const row = resultRow(path, result, await flaggedPaths(client, result, ctx.signal));
  const sanitized = result.sanitized;
  if (sanitizedDir === undefined || !sanitized) {
    return { row, verdict: result.verdict, result, failure: undefined };
  }
  try {
    // Into the directory, under the name the gateway suggests (reduced to a plain file name);
    // an existing file is never replaced.
    const written = await downloadSanitized(client, sanitized.dataId, sanitizedDir + sep, {
      signal: ctx.signal,
    });
    row.sanitized = written.path;
    return { row, verdict: result.verdict, result, failure: undefined };
  } catch (error) {
    const what = "sanitized download failed: ";
    row.error = `${what}${ctx.scrub(ctx.messageOf(error))}`;
    return { row, verdict: undefined, result, failure: { error, what } };
  }
}

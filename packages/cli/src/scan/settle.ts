import { sep } from "node:path";
import type { ClusterClient } from "@mdkit/cluster";
import { downloadSanitized, type ScanFilesItem } from "@mdkit/scan/node";
import type { Context } from "../context.js";
import { messageOf } from "../errors.js";
import type { Row } from "../output/index.js";
import { failureRow, resultRow } from "./rows.js";

/** What became of one file: its output row, its verdict (none when it failed) and the failure. */
export interface Settled {
  /** The output row. */
  row: Row;
  /** The gateway's verdict; `undefined` when the file failed (a failure is never clean). */
  verdict: string | undefined;
  /** The error, and what failed, when the file failed. */
  failure: { error: unknown; what: string } | undefined;
}

/**
 * Turns a `scanFiles` item into its row, downloading the sanitized version
 * into `sanitizedDir` when one is asked for and the rule produced one. A
 * failed download fails the file: what was asked for was not delivered.
 */
export async function settle(
  ctx: Context,
  client: ClusterClient,
  item: ScanFilesItem,
  path: string,
  sanitizedDir: string | undefined,
): Promise<Settled> {
  if (!item.ok) {
    const row = failureRow(path, item, ctx.scrub(messageOf(item.error)));
    return { row, verdict: undefined, failure: { error: item.error, what: "" } };
  }
  const row = resultRow(path, item.result);
  const sanitized = item.result.sanitized;
  if (sanitizedDir === undefined || !sanitized) {
    return { row, verdict: item.result.verdict, failure: undefined };
  }
  try {
    // Into the directory, under the name the gateway suggests (reduced to a plain file name);
    // an existing file is never replaced.
    const written = await downloadSanitized(client, sanitized.dataId, sanitizedDir + sep, {
      signal: ctx.signal,
    });
    row.sanitized = written.path;
    return { row, verdict: item.result.verdict, failure: undefined };
  } catch (error) {
    const what = "sanitized download failed: ";
    row.error = `${what}${ctx.scrub(messageOf(error))}`;
    return { row, verdict: undefined, failure: { error, what } };
  }
}

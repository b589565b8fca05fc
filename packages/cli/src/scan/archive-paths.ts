import type { ClusterClient } from "@mdkit/cluster";
import { archiveChildren, type ScanResult } from "@mdkit/scan/node";

/** Flagged files named per archive, at most (a row is for reading; the rest is counted). */
const MAX_PATHS = 5;
/** Archives inside archives followed, at most. */
const MAX_DEPTH = 4;

/**
 * Where in an archive the flagged content is: each flagged file's path,
 * from the archive's name down through nested archives
 * (`bundle.zip › docs/eicar.com`). Empty for a clean result or a file that
 * is no archive. Best effort: a failure to list the archive leaves the list
 * short, never changes the verdict.
 */
export async function flaggedPaths(
  client: ClusterClient,
  result: ScanResult,
  signal: AbortSignal,
): Promise<string[]> {
  if (result.verdict === "clean" || !result.archive) return [];
  const found: string[] = [];
  let more = 0;
  async function walk(dataId: string, trail: string[], depth: number): Promise<void> {
    for await (const child of archiveChildren(client, dataId, { signal })) {
      if (child.verdict === "clean") continue;
      if (found.length >= MAX_PATHS) {
        more++;
        continue;
      }
      const path = [...trail, child.name ?? child.dataId ?? "?"];
      const before = found.length;
      // A nested archive's own flagged files are the interesting ones; a plain file is itself.
      if (child.dataId && depth < MAX_DEPTH) await walk(child.dataId, path, depth + 1);
      if (found.length === before) found.push(path.join(" › "));
    }
  }
  try {
    await walk(result.dataId, [result.name ?? "archive"], 0);
  } catch {
    // Listing is a courtesy: the verdict stands as the gateway gave it.
  }
  return more > 0 ? [...found, `… ${more} more`] : found;
}

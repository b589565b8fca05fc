// @mdkit/scan as a consumer sees it: the portable entry and `@mdkit/scan/node`.
import type { ClusterClient } from "@mdkit/cluster";
import {
  type HashLookup,
  lookupHash,
  type ScanFilesItem,
  scanFiles,
  type Verdict,
} from "@mdkit/scan";
import { downloadSanitized, ScanJournal, scanFile, walkFiles } from "@mdkit/scan/node";

export async function verdicts(cluster: ClusterClient, paths: string[]): Promise<Verdict[]> {
  const out: Verdict[] = [];
  for (const path of paths)
    out.push((await scanFile(cluster, path, { rule: "multiscan" })).verdict);
  return out;
}
export async function many(cluster: ClusterClient): Promise<number> {
  let clean = 0;
  const inputs = [{ data: new Uint8Array([1]), name: "a.bin" }];
  for await (const item of scanFiles(cluster, inputs)) {
    const typed: ScanFilesItem = item;
    if (typed.ok && typed.result.clean) clean++;
  }
  return clean;
}
export const lookup = (cluster: ClusterClient, sha256: string): Promise<HashLookup> =>
  lookupHash(cluster, sha256);
export const download = (cluster: ClusterClient, dataId: string) =>
  downloadSanitized(cluster, dataId, "./out/");
export const journal = (path: string): Promise<ScanJournal> => ScanJournal.open(path);
export const walk = (dir: string) => walkFiles(dir, { include: ["**/*.pdf"] });

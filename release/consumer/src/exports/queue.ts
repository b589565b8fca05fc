// @mdkit/queue as a consumer sees it.
import type { ClusterClient } from "@mdkit/cluster";
import {
  ContentChangedError,
  createScanQueue,
  createScanWorker,
  QueueError,
  type QueueResult,
  scanJobId,
  toNdjsonLine,
} from "@mdkit/queue";

export async function queueOnce(cluster: ClusterClient, paths: string[]): Promise<QueueResult[]> {
  const connection = "redis://127.0.0.1:6379";
  const queue = createScanQueue({ connection, name: "consumer-check" });
  const worker = createScanWorker({ connection, name: "consumer-check", cluster, concurrency: 2 });
  try {
    await queue.add(paths, { rule: "multiscan" });
    const results: QueueResult[] = [];
    for await (const result of queue.results()) results.push(result);
    return results;
  } finally {
    await worker.close();
    await queue.close();
  }
}
export const jobIdOf = (sha256: string): string => scanJobId(sha256, "multiscan");
export const line = (result: QueueResult): string => toNdjsonLine(result);
export const isQueueError = (error: unknown): boolean =>
  error instanceof QueueError || error instanceof ContentChangedError;

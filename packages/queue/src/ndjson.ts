import { once } from "node:events";
import type { Writable } from "node:stream";
import type { QueueResult } from "./result.js";

/**
 * One result as a line of NDJSON (JSON Lines), `\n` included.
 *
 * @example
 * ```ts
 * import { appendFile } from "node:fs/promises";
 * import { createScanQueue, toNdjsonLine } from "@mdkit/queue";
 *
 * await using queue = createScanQueue({ connection: "redis://127.0.0.1:6379", name: "inbox" });
 * for await (const result of queue.results()) {
 *   await appendFile("verdicts.jsonl", toNdjsonLine(result));
 * }
 * ```
 */
export function toNdjsonLine(result: QueueResult): string {
  return `${JSON.stringify(result)}\n`;
}

/**
 * Writes results to a stream as NDJSON, one line per result, honouring
 * back-pressure; resolves with the number written once `results` ends (the
 * stream is left open).
 *
 * @example
 * ```ts
 * import { createWriteStream } from "node:fs";
 * const out = createWriteStream("results.ndjson", { flags: "a" });
 * await writeNdjson(queue.results({ follow: true, signal }), out);
 * ```
 */
export async function writeNdjson(
  results: AsyncIterable<QueueResult>,
  destination: Writable | NodeJS.WritableStream,
): Promise<number> {
  let count = 0;
  for await (const result of results) {
    if (!destination.write(toNdjsonLine(result))) await once(destination, "drain");
    count++;
  }
  return count;
}

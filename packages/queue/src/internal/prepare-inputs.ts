import { type PreparedInput, prepareInput, type QueueInput } from "../queue-input.js";
import type { DownloadLimits } from "./bounded-download.js";

/**
 * Prepares inputs (hashing up to `hashConcurrency` at once) and yields them
 * in input order; memory is bounded by that concurrency, whatever the count.
 */
export async function* prepareInputs(
  inputs: Iterable<QueueInput> | AsyncIterable<QueueInput>,
  download: DownloadLimits,
  options: { hashConcurrency?: number | undefined; signal?: AbortSignal | undefined },
): AsyncGenerator<{ index: number; input: PreparedInput }> {
  const width = Math.max(1, options.hashConcurrency ?? 8);
  const pending: Array<Promise<PreparedInput>> = [];
  let next = 0;
  for await (const input of inputs as AsyncIterable<QueueInput>) {
    options.signal?.throwIfAborted();
    const prepared = prepareInput(input, download, options.signal);
    // Settled later, in order; until then a rejection is not "unhandled".
    prepared.catch(() => {});
    pending.push(prepared);
    if (pending.length >= width)
      yield { index: next++, input: await (pending.shift() as Promise<PreparedInput>) };
  }
  while (pending.length > 0) {
    yield { index: next++, input: await (pending.shift() as Promise<PreparedInput>) };
  }
}

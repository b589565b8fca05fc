import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ClusterClient, createClusterClient } from "@mdkit/cluster";
import {
  createSimulator,
  EICAR_TEST_STRING,
  type Simulator,
  type SimulatorOptions,
} from "@mdkit/simulator";
import type { ManualClock } from "@mdkit/testing";
import { zipSync } from "fflate";

/** The EICAR test string: the simulator (like every engine) reports it infected. */
export const EICAR = EICAR_TEST_STRING;
/** The simulator's default suspicious marker. */
export const MARKER = "MDKIT-SUSPICIOUS-TEST-MARKER";
const BASE = "http://gateway.test";

/** A transport between the client and the simulator, e.g. to rewrite a response. */
export type FetchWrapper = (
  fetch: (request: Request) => Promise<Response>,
) => (request: Request) => Promise<Response>;

/**
 * A simulator with quick scans and a client of it (in-process, static API key).
 * `wrap` puts a transport of the test's own between the client and the simulator.
 */
export function setup(
  options: SimulatorOptions = {},
  wrap?: FetchWrapper,
): { sim: Simulator; cluster: ClusterClient } & AsyncDisposable {
  const sim = createSimulator({
    ...options,
    cluster: { scanDurationMs: 30, apiKeys: ["scan-test-key"], ...options.cluster },
  });
  const cluster = createClusterClient({
    baseUrl: BASE,
    fetch: wrap ? wrap(sim.fetch) : sim.fetch,
    auth: () => ({ apikey: "scan-test-key" }),
  });
  return { sim, cluster, [Symbol.asyncDispose]: () => sim.close() };
}

/** Bytes of a string. */
export const bytes = (text: string) => new TextEncoder().encode(text);

/** A zip of the given entries (name → bytes or text). */
export function zip(entries: Record<string, Uint8Array | string>): Uint8Array {
  return zipSync(
    Object.fromEntries(
      Object.entries(entries).map(([k, v]) => [k, typeof v === "string" ? bytes(v) : v]),
    ),
  );
}

/** A fresh directory under the OS temp dir; `remove()` deletes it with its content. */
export async function tempDir(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), "mdkit-scan-test-"));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Every item of an async iterable. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Waits until `condition` holds, checking every few ms (fails after `timeoutMs`). */
export async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Settles `work` while moving `clock` on by `stepMs` every few real ms, so
 * that waits on it end in order while real I/O gets its time too.
 */
export async function onClock<T>(clock: ManualClock, work: Promise<T>, stepMs = 100): Promise<T> {
  let done = false;
  const settled = work.finally(() => {
    done = true;
  });
  settled.catch(() => {});
  while (!done) {
    await new Promise((resolve) => setTimeout(resolve, 2));
    clock.advance(stepMs);
  }
  return settled;
}

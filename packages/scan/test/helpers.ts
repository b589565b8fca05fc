import { type ClusterClient, createClusterClient } from "@mdkit/cluster";
import {
  createSimulator,
  EICAR_TEST_STRING,
  type Simulator,
  type SimulatorOptions,
} from "@mdkit/simulator";
import { zipSync } from "fflate";

/** The EICAR test string: the simulator (like every engine) reports it infected. */
export const EICAR = EICAR_TEST_STRING;
/** The simulator's default suspicious marker. */
export const MARKER = "MDKIT-SUSPICIOUS-TEST-MARKER";
const BASE = "http://gateway.test";

/** A simulator with quick scans and a client of it (in-process, static API key). */
export function setup(
  options: SimulatorOptions = {},
): { sim: Simulator; cluster: ClusterClient } & AsyncDisposable {
  const sim = createSimulator({
    ...options,
    cluster: { scanDurationMs: 30, apiKeys: ["scan-test-key"], ...options.cluster },
  });
  const cluster = createClusterClient({
    baseUrl: BASE,
    fetch: sim.fetch,
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

import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createClusterClient } from "@mdkit/cluster";
import type { AdaptiveLimiterOptions } from "@mdkit/scan";
import { scanFiles } from "@mdkit/scan/node";
import {
  type SimulatorCounters,
  type SimulatorProcess,
  startSimulatorProcess,
} from "../harness.js";

const APIKEY = "bench-apikey";

/** A gateway whose capacity is the bottleneck, as the simulator plays it. */
export interface GatewayLoad {
  /** Files the gateway processes at once before answering 503. */
  capacity: number;
  /** Processing time of one file, ms. */
  scanMs: number;
}

/** Writes `count` small files whose content is unique to `tag`, returning their paths. */
export async function writeBenchFiles(dir: string, tag: string, count: number): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = join(dir, `${tag}-${String(i).padStart(5, "0")}.txt`);
    await writeFile(path, `${tag} file ${i}\n${"x".repeat(1000)}\n`);
    paths.push(path);
  }
  return paths;
}

/** A simulator process playing `load`, and a client of it. */
export async function startLoadedGateway(load: GatewayLoad) {
  const sim = await startSimulatorProcess({
    cluster: { capacity: load.capacity, scanDurationMs: load.scanMs, apiKeys: [APIKEY] },
  });
  const cluster = createClusterClient({ baseUrl: sim.url, auth: () => ({ apikey: APIKEY }) });
  return { sim, cluster };
}

/** Uploads and 503 answers in a counters snapshot. */
export const uploadsOf = (counters: SimulatorCounters) => ({
  uploads: counters.requests.analyzeFile ?? 0,
  busy: counters.responsesByStatus["503"] ?? 0,
});

/** One `scanFiles` pass and what the gateway saw of it. */
export interface LoadRun {
  ms: number;
  ok: number;
  failed: number;
  /** Uploads and 503s during the whole pass. */
  total: { uploads: number; busy: number };
  /** Uploads and 503s after the first second of the pass. */
  afterFirstSecond: { uploads: number; busy: number };
}

/**
 * Scans `paths` with `scanFiles` against `sim` (counters zeroed first) and
 * reads the gateway's counters at the end and after the first second.
 */
export async function scanUnderLoad(
  sim: SimulatorProcess,
  cluster: ReturnType<typeof createClusterClient>,
  paths: string[],
  concurrency: AdaptiveLimiterOptions | undefined,
): Promise<LoadRun> {
  await sim.reset();
  const started = performance.now();
  const firstSecond = new Promise<SimulatorCounters>((resolve) =>
    setTimeout(() => resolve(sim.state()), 1_000),
  );
  let ok = 0;
  let failed = 0;
  for await (const item of scanFiles(cluster, paths, concurrency ? { concurrency } : {})) {
    if (item.ok) ok++;
    else failed++;
  }
  const ms = performance.now() - started;
  const early = uploadsOf(await firstSecond);
  const total = uploadsOf(await sim.state());
  return {
    ms,
    ok,
    failed,
    total,
    afterFirstSecond: { uploads: total.uploads - early.uploads, busy: total.busy - early.busy },
  };
}

/** `part` as a percentage of `whole` (0 when there is no whole). */
export const percent = (part: number, whole: number) => (whole ? (100 * part) / whole : 0);

/** A line describing a run, for the notes. */
export const describeRun = (run: LoadRun) =>
  `${run.ms.toFixed(0)} ms, ${run.ok} ok, ${run.failed} failed, ${run.total.uploads} uploads, ${run.total.busy} × 503 (after the first second: ${run.afterFirstSecond.uploads} uploads, ${run.afterFirstSecond.busy} × 503)`;

import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createClusterClient } from "@mdkit/cluster";
import type { AdaptiveLimiterOptions } from "@mdkit/scan";
import { scanFiles } from "@mdkit/scan/node";
import {
  type BenchContext,
  type Scenario,
  type ScenarioResult,
  type SimulatorCounters,
  type SimulatorProcess,
  startSimulatorProcess,
} from "../harness.js";

/** The API key the loaded gateway accepts. */
export const APIKEY = "bench-apikey";

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

/** A `scanFiles` run against a gateway whose capacity is the bottleneck, with its targets. */
export interface LoadScenario {
  name: string;
  /** Files of a full run, and of a quick one. */
  count: { full: number; quick: number };
  load: GatewayLoad;
  /** The run's concurrency; default that of `scanFiles`. */
  concurrency?: AdaptiveLimiterOptions | undefined;
  /** Which 503 share is held to 10%: of every upload, or of those after the first second. */
  busyShare: "total" | "after the first second";
  /** What the client starts with, for the notes. */
  client: string;
}

/**
 * A scenario scanning `count` files against `load`: targets no failed file,
 * 503 answers ≤ 10% of uploads (all, or after the first second), wall time
 * ≤ 1.2× the ideal N·t/C.
 */
export function loadScenario(spec: LoadScenario): Scenario {
  return {
    name: spec.name,
    async run({ quick, workDir }: BenchContext): Promise<ScenarioResult> {
      const count = quick ? spec.count.quick : spec.count.full;
      const paths = await writeBenchFiles(join(workDir, spec.name), spec.name, count);
      const { sim, cluster } = await startLoadedGateway(spec.load);
      try {
        const run = await scanUnderLoad(sim, cluster, paths, spec.concurrency);
        const ideal = (count * spec.load.scanMs) / spec.load.capacity;
        const busy = spec.busyShare === "total" ? run.total : run.afterFirstSecond;
        const busyLabel = spec.busyShare === "total" ? "" : " after the first second";
        return {
          scenario: spec.name,
          figures: [
            {
              name: "failed files",
              value: run.failed,
              unit: "files",
              target: 0,
              better: "<=",
              gate: true,
            },
            {
              name: `503 answers / uploads${busyLabel}`,
              value: percent(busy.busy, busy.uploads),
              unit: "%",
              target: 10,
              better: "<=",
            },
            {
              name: "wall time / ideal N·t/C",
              value: run.ms / ideal,
              unit: "x",
              target: 1.2,
              better: "<=",
            },
          ],
          notes: [
            `${count} files, capacity ${spec.load.capacity}, ${spec.load.scanMs} ms each, ${spec.client}: ideal ${ideal.toFixed(0)} ms`,
            describeRun(run),
          ],
        };
      } finally {
        await sim.stop();
      }
    },
  };
}

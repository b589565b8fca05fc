import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { createClusterClient } from "@mdkit/cluster";
import { createScanQueue } from "@mdkit/queue";
import { scanFiles } from "@mdkit/scan/node";
import { REDIS_MISSING, startRedis } from "@mdkit/testing/redis";
import {
  type BenchContext,
  type Figure,
  type Scenario,
  type SimulatorProcess,
  startSimulatorProcess,
} from "../harness.js";

const CAPACITY = 8;
const SCAN_MS = 1_000;
/** Files on the gateway at once at most, in every configuration: scanFiles' max, the shared budget's max. */
const TOTAL_CONCURRENCY = 16;
const APIKEY = "bench-apikey";
/** Files scanned (not measured) before the measured runs, so that the shared budget has learned the gateway. */
const WARM_UP = 10 * CAPACITY;
const CLI = join(
  dirname(createRequire(import.meta.url).resolve("@mdkit/cli/package.json")),
  "dist/bin.js",
);

/** One configuration's run. */
interface Run {
  label: string;
  ms: number;
  /** Results received. */
  files: number;
  /** Inputs without a result, plus results received more than once. */
  lostOrDuplicated: number;
  failed: number;
  uploads: number;
  busy: number;
}

async function writeFiles(dir: string, tag: string, count: number): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = join(dir, `${tag}-${String(i).padStart(5, "0")}.txt`);
    // Content unique to the run: no run finds another's results by hash.
    await writeFile(path, `${tag} file ${i}\n${"q".repeat(1000)}\n`);
    paths.push(path);
  }
  return paths;
}

/** `mdkit queue work` in a process of its own, as an operator starts one; resolves once it is ready. */
async function startCliWorker(args: string[], env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, "queue", "work", ...args], {
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stderr! });
    lines.on("line", (line) => {
      if (line.includes("working on")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`mdkit queue work exited with ${code}`)));
  });
  return child;
}

const stopped = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });

async function countersOf(sim: SimulatorProcess) {
  const counters = await sim.state();
  await sim.reset();
  return {
    uploads: counters.requests.analyzeFile ?? 0,
    busy: counters.responsesByStatus["503"] ?? 0,
  };
}

/** The gateway's budget, shared by every configuration: a deployment keeps one per gateway. */
const BUDGET = `bench-gateway-${process.pid}`;

async function runQueue(
  workers: number,
  paths: string[],
  socket: string,
  sim: SimulatorProcess,
): Promise<Run> {
  const name = `bench-${workers}-${process.pid}`;
  const env = { ...process.env, MDKIT_CLUSTER_URL: sim.url, MDKIT_CLUSTER_APIKEY: APIKEY };
  const args = [
    "--queue",
    name,
    "--redis",
    socket,
    // Jobs in progress (uploading, waiting for a slot, polling) across the workers: twice the
    // gateway budget, as scanFiles prepares twice its concurrency ahead (its default prefetch).
    "--concurrency",
    String(Math.ceil((2 * TOTAL_CONCURRENCY) / workers)),
    "--budget",
    BUDGET,
    "--budget-max",
    String(TOTAL_CONCURRENCY),
  ];
  const children = await Promise.all(
    Array.from({ length: workers }, () => startCliWorker(args, env)),
  );
  const queue = createScanQueue({ connection: socket, name, producer: "bench" });
  try {
    const started = performance.now();
    await queue.add(paths);
    let failed = 0;
    const seen = new Set<string>();
    let files = 0;
    for await (const result of queue.results()) {
      files++;
      seen.add(result.jobId);
      if (!result.ok) failed++;
    }
    const ms = performance.now() - started;
    const lostOrDuplicated = paths.length - seen.size + (files - seen.size);
    const label = `${workers} worker${workers > 1 ? "s" : ""}`;
    return { label, ms, files, lostOrDuplicated, failed, ...(await countersOf(sim)) };
  } finally {
    await Promise.all(children.map(stopped));
    await queue.obliterate();
    await queue.close();
  }
}

async function runScanFiles(paths: string[], sim: SimulatorProcess): Promise<Run> {
  const cluster = createClusterClient({ baseUrl: sim.url, auth: () => ({ apikey: APIKEY }) });
  const started = performance.now();
  let failed = 0;
  let files = 0;
  const seen = new Set<number>();
  for await (const item of scanFiles(cluster, paths, { concurrency: { max: TOTAL_CONCURRENCY } })) {
    files++;
    seen.add(item.index);
    if (!item.ok) failed++;
  }
  const ms = performance.now() - started;
  const lostOrDuplicated = paths.length - seen.size + (files - seen.size);
  return { label: "scanFiles", ms, files, lostOrDuplicated, failed, ...(await countersOf(sim)) };
}

function figuresOf(run: Run, ideal: number, gated: boolean): Figure[] {
  return [
    {
      name: `${run.label}: throughput / ideal C/t`,
      value: ideal / run.ms,
      unit: "x",
      target: 0.9,
      better: ">=",
    },
    {
      name: `${run.label}: 503 answers / uploads`,
      value: run.uploads ? (100 * run.busy) / run.uploads : 0,
      unit: "%",
      target: 5,
      better: "<=",
    },
    {
      name: `${run.label}: files lost or duplicated`,
      value: run.lostOrDuplicated,
      unit: "files",
      target: 0,
      better: "<=",
      gate: gated,
    },
    {
      name: `${run.label}: failed files`,
      value: run.failed,
      unit: "files",
      target: 0,
      better: "<=",
      gate: gated,
    },
  ];
}

/**
 * The queue against a gateway whose capacity is the bottleneck (8 files at
 * once, 1 s each): 1, 2 and 4 `mdkit queue work` processes sharing one
 * budget, and one `scanFiles` process, with the same total concurrency (16).
 * Targets: throughput ≥ 0.9× the ideal C/t (wall time ≤ N·t/C ÷ 0.9) and
 * ≤ 5% of uploads answered 503.
 */
export const queueScenario: Scenario = {
  name: "queue",
  async run({ quick, workDir }: BenchContext) {
    const redis = await startRedis();
    if (!redis) return { scenario: "queue", figures: [], notes: [REDIS_MISSING] };
    const count = quick ? 48 : 360;
    const sim = await startSimulatorProcess({
      cluster: { capacity: CAPACITY, scanDurationMs: SCAN_MS, apiKeys: [APIKEY] },
    });
    try {
      const ideal = (count * SCAN_MS) / CAPACITY;
      const runs: Run[] = [];
      const base = await writeFiles(join(workDir, "queue-scan-files"), "scanfiles", count);
      runs.push(await runScanFiles(base, sim));
      // Not measured: the shared budget learns the gateway once, as a deployment's does,
      // so that each measured configuration starts where a running deployment is.
      const warmUp = await writeFiles(join(workDir, "queue-warm-up"), "warm", WARM_UP);
      await runQueue(1, warmUp, redis.socket, sim);
      for (const workers of [1, 2, 4]) {
        const paths = await writeFiles(join(workDir, `queue-${workers}`), `w${workers}`, count);
        runs.push(await runQueue(workers, paths, redis.socket, sim));
      }
      return {
        scenario: "queue",
        figures: runs.flatMap((run) => figuresOf(run, ideal, run.label !== "scanFiles")),
        notes: [
          `the workers' budget is warmed up first (${WARM_UP} files, not measured); scanFiles starts at its default limit, 4`,
          `${count} files, capacity ${CAPACITY}, ${SCAN_MS} ms each, total concurrency ${TOTAL_CONCURRENCY}: ideal ${ideal.toFixed(0)} ms`,
          ...runs.map(
            (r) =>
              `${r.label}: ${r.ms.toFixed(0)} ms, ${r.files} results (${r.failed} failed), ${r.uploads} uploads, ${r.busy} × 503`,
          ),
        ],
      };
    } finally {
      await sim.stop();
      await redis.stop();
    }
  },
};

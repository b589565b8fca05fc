import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CLI_BIN } from "../cli.js";
import { type BenchContext, type Scenario, startSimulatorProcess } from "../harness.js";

const DAY_MS = 86_400_000;
/**
 * Requests per rate-limit window of the simulator, and the window, ms. A whole
 * second: `X-RateLimit-Reset` has a resolution of one second, so a shorter
 * window's end cannot be told exactly.
 */
const RATE_LIMIT = { limit: 30, windowMs: 1_000 };
/** Records per page (the most Central Management returns). */
const PAGE_SIZE = 100;
/** RSS sampling interval, ms. */
const SAMPLE_MS = 200;

/** The resident set size of a process, bytes, from `/proc` (undefined once it has exited). */
async function rssOf(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

interface ExportRun {
  records: number;
  wallMs: number;
  /** Peak RSS from the process's own `resourceUsage()` at exit, bytes. */
  peakRss: number;
  /** RSS sampled every {@link SAMPLE_MS}, bytes. */
  samples: number[];
}

/**
 * Runs `mdkit cm reports core --format jsonl` from `since`, counting the
 * JSON lines it writes (nothing kept) and sampling its RSS.
 */
async function exportReports(
  workDir: string,
  env: Record<string, string>,
  since: number,
): Promise<ExportRun> {
  const probe = join(workDir, "report-export-rss.cjs");
  const out = join(workDir, "report-export-rss.txt");
  await writeFile(
    probe,
    `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(out)}, String(process.resourceUsage().maxRSS)));\n`,
  );
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      "--require",
      probe,
      CLI_BIN,
      "cm",
      "reports",
      "core",
      "--format",
      "jsonl",
      "--page-size",
      String(PAGE_SIZE),
      "--since",
      String(since),
    ],
    { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let records = 0;
  child.stdout.on("data", (chunk: Buffer) => {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) records++;
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const samples: number[] = [];
  const sampler = setInterval(() => {
    if (child.pid === undefined) return;
    void rssOf(child.pid).then((rss) => {
      if (rss !== undefined) samples.push(rss);
    });
  }, SAMPLE_MS);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", resolve);
  }).finally(() => clearInterval(sampler));
  if (code !== 0) throw new Error(`mdkit cm reports exited with ${code}: ${stderr}`);
  return {
    records,
    wallMs: performance.now() - started,
    peakRss: Number(await readFile(out, "utf8")) * 1024,
    samples,
  };
}

/** The largest of `values` (0 for none). */
const maxOf = (values: number[]) => values.reduce((a, b) => Math.max(a, b), 0);

/**
 * Growth of the sampled RSS over the export: the peak of the last third
 * minus the peak of the middle third (the first third is start-up), bytes.
 */
function rssGrowth(samples: number[]): number {
  const third = Math.floor(samples.length / 3);
  if (third === 0) return 0;
  return maxOf(samples.slice(2 * third)) - maxOf(samples.slice(third, 2 * third));
}

/**
 * A long Central Management export through the CLI: `mdkit cm reports core
 * --format jsonl` over 90 days (three 30-day windows) of 1,000,000 Core
 * report records (10,000 in quick mode), from the simulator over HTTP in
 * its own process with its rate limit on. Targets: every record, no
 * request refused or failed, never more requests in a window than the
 * limit (counted at the simulator), peak RSS ≤ 150 MB and flat.
 */
export const reportExportScenario: Scenario = {
  name: "report-export",
  async run({ quick, workDir }: BenchContext) {
    const count = quick ? 10_000 : 1_000_000;
    const dataEndsAt = Date.now();
    const since = dataEndsAt - 90 * DAY_MS;
    const sim = await startSimulatorProcess({
      cm: {
        rateLimit: RATE_LIMIT,
        dataEndsAt,
        dataSpanMs: 90 * DAY_MS,
        volumes: { coreReports: count },
      },
    });
    try {
      const env = {
        MDKIT_CM_URL: sim.url,
        MDKIT_CM_CLIENT_ID: "mdkit-demo",
        MDKIT_CM_CLIENT_SECRET: "mdkit-demo-secret",
      };
      const run = await exportReports(workDir, env, since);
      const state = await sim.state();
      const failed = Object.entries(state.responsesByStatus)
        .filter(([status]) => Number(status) >= 400)
        .reduce((sum, [, n]) => sum + n, 0);
      const requests = state.requests.listCoreReports ?? 0;
      const recordsPerSecond = run.records / (run.wallMs / 1000);
      // What the rate limit allows at most: a full page per request, the limit per window.
      const ceiling = (RATE_LIMIT.limit * PAGE_SIZE * 1000) / RATE_LIMIT.windowMs;
      return {
        scenario: "report-export",
        figures: [
          {
            name: "records exported",
            value: run.records,
            unit: "records",
            target: count,
            better: ">=",
            gate: true,
          },
          {
            name: "failed or refused requests (status >= 400)",
            value: failed,
            unit: "requests",
            target: 0,
            better: "<=",
            gate: true,
          },
          {
            name: "most requests in one rate-limit window",
            value: state.peakRequestsPerRateWindow ?? Number.POSITIVE_INFINITY,
            unit: "requests",
            target: RATE_LIMIT.limit,
            better: "<=",
            gate: true,
          },
          {
            name: "peak RSS of mdkit",
            value: run.peakRss / 1e6,
            unit: "MB",
            target: 150,
            better: "<=",
            gate: true,
          },
          {
            name: "RSS growth, last third over middle third (sampled)",
            value: rssGrowth(run.samples) / 1e6,
            unit: "MB",
            target: 16,
            better: "<=",
            gate: !quick,
          },
          {
            name: "records per second, relative to the rate limit's ceiling",
            value: recordsPerSecond / ceiling,
            unit: "×",
            target: 0.8,
            better: ">=",
          },
        ],
        notes: [
          `${run.records} records in ${(run.wallMs / 1000).toFixed(1)} s: ${Math.round(recordsPerSecond)} records/s (rate limit ${RATE_LIMIT.limit} requests per ${RATE_LIMIT.windowMs} ms, ${PAGE_SIZE} records a page: at most ${ceiling} records/s); ${requests} listCoreReports requests`,
          `RSS samples every ${SAMPLE_MS} ms: ${run.samples.length}, min ${(Math.min(...run.samples) / 1e6).toFixed(1)} MB, max ${(maxOf(run.samples) / 1e6).toFixed(1)} MB; peak at exit ${(run.peakRss / 1e6).toFixed(1)} MB`,
        ],
      };
    } finally {
      await sim.stop();
    }
  },
};

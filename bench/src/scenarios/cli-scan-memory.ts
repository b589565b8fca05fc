import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CLI_BIN, runShell } from "../cli.js";
import { type BenchContext, type Scenario, startSimulatorProcess } from "../harness.js";
import { makeFile } from "./upload.js";

const MiB = 1024 * 1024;

/** Peak RSS (bytes) of `mdkit scan --no-hash-first <file>`, read from the process's own rusage at exit. */
async function peakRss(
  workDir: string,
  file: string,
  env: Record<string, string>,
): Promise<number> {
  const probe = join(workDir, "peak-rss.cjs");
  const out = join(workDir, "peak-rss.txt");
  await writeFile(
    probe,
    `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(out)}, String(process.resourceUsage().maxRSS)));\n`,
  );
  const result = await runShell(
    `${JSON.stringify(process.execPath)} --require ${JSON.stringify(probe)} ${JSON.stringify(CLI_BIN)} scan --no-hash-first ${JSON.stringify(file)}`,
    env,
  );
  if (result.code !== 0) throw new Error(`mdkit scan exited with ${result.code}: ${result.stderr}`);
  return Number(await readFile(out, "utf8")) * 1024;
}

/**
 * The memory of `mdkit scan --no-hash-first` does not grow with the file:
 * its peak RSS scanning 1 GiB (64 MiB in quick mode) over HTTP against the
 * simulator in its own process may be at most 16 MB above the same command
 * scanning a 6-byte file.
 */
export const cliScanMemoryScenario: Scenario = {
  name: "cli-scan-memory",
  async run({ quick, workDir }: BenchContext) {
    const size = quick ? 64 * MiB : 1024 * MiB;
    const big = join(workDir, "cli-big.bin");
    const small = join(workDir, "cli-small.bin");
    await makeFile(big, size);
    await writeFile(small, "small\n");
    const apikey = "bench-cli-apikey";
    const sim = await startSimulatorProcess({ cluster: { scanDurationMs: 1, apiKeys: [apikey] } });
    try {
      const env = { MDKIT_CLUSTER_URL: sim.url, MDKIT_CLUSTER_APIKEY: apikey };
      // Alternated, the smallest of each kept: a figure of the CLI, not of a busy moment.
      const smallPeaks: number[] = [];
      const bigPeaks: number[] = [];
      for (let i = 0; i < 2; i++) {
        smallPeaks.push(await peakRss(workDir, small, env));
        bigPeaks.push(await peakRss(workDir, big, env));
      }
      const smallPeak = Math.min(...smallPeaks);
      const bigPeak = Math.min(...bigPeaks);
      return {
        scenario: "cli-scan-memory",
        figures: [
          {
            name: `peak RSS, ${size / MiB} MiB scan above 6-byte scan`,
            value: (bigPeak - smallPeak) / 1e6,
            unit: "MB",
            target: 16,
            better: "<=",
            gate: true,
          },
        ],
        notes: [
          `mdkit scan --no-hash-first peak RSS: 6 bytes ${(smallPeak / 1e6).toFixed(1)} MB (runs ${smallPeaks.map((p) => (p / 1e6).toFixed(1)).join(", ")}), ${size / MiB} MiB ${(bigPeak / 1e6).toFixed(1)} MB (runs ${bigPeaks.map((p) => (p / 1e6).toFixed(1)).join(", ")})`,
        ],
      };
    } finally {
      await sim.stop();
    }
  },
};

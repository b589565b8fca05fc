/**
 * Runs the benchmarks and prints figure / target / pass as a table; writes
 * the results to bench/results/latest.json.
 *
 *   node bench/dist/run.js [--quick] [--strict] [--cpu-prof] [scenario ...]
 *
 * `--quick` uses small inputs (CI). A miss of a gated figure (memory, counts)
 * fails the run; with `--strict` every miss does. `--cpu-prof` writes V8 CPU
 * profiles of the measured client workers to bench/results/profiles
 * (summarise one with `node bench/dist/profile-summary.js <file>`).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { meets, printTable, type Scenario, type ScenarioResult, writeJson } from "./harness.js";
import { callbacksScenario } from "./scenarios/callbacks.js";
import { cliInstallScenario } from "./scenarios/cli-install.js";
import { cliScanMemoryScenario } from "./scenarios/cli-scan-memory.js";
import { cliStartupScenario } from "./scenarios/cli-startup.js";
import { clientGetScenario } from "./scenarios/client-get.js";
import { overloadScenario } from "./scenarios/overload.js";
import { queueScenario } from "./scenarios/queue.js";
import { redactScenario } from "./scenarios/redact.js";
import { reportExportScenario } from "./scenarios/report-export.js";
import { scanCpuScenario } from "./scenarios/scan-cpu.js";
import { scanFilesScenario } from "./scenarios/scan-files.js";
import { slowScansScenario } from "./scenarios/slow-scans.js";
import { uploadScenario } from "./scenarios/upload.js";

const SCENARIOS: Scenario[] = [
  uploadScenario,
  scanFilesScenario,
  callbacksScenario,
  clientGetScenario,
  scanCpuScenario,
  overloadScenario,
  slowScansScenario,
  redactScenario,
  queueScenario,
  cliStartupScenario,
  cliScanMemoryScenario,
  cliInstallScenario,
  reportExportScenario,
];

const { values, positionals } = parseArgs({
  options: {
    quick: { type: "boolean" },
    strict: { type: "boolean" },
    "cpu-prof": { type: "boolean" },
  },
  allowPositionals: true,
});
const chosen = positionals.length
  ? SCENARIOS.filter((s) => positionals.includes(s.name))
  : SCENARIOS;
const resultsDir = join(dirname(fileURLToPath(import.meta.url)), "../results");
const nodeFlags = values["cpu-prof"]
  ? ["--cpu-prof", `--cpu-prof-dir=${join(resultsDir, "profiles")}`]
  : [];
const workDir = await mkdtemp(join(tmpdir(), "mdkit-bench-"));
const results: ScenarioResult[] = [];
try {
  for (const scenario of chosen) {
    console.log(`running ${scenario.name}${values.quick ? " (quick)" : ""} ...`);
    results.push(await scenario.run({ quick: !!values.quick, workDir, nodeFlags }));
  }
} finally {
  await rm(workDir, { recursive: true, force: true });
}
printTable(results);
await writeJson(results, join(resultsDir, "latest.json"));
const missed = results
  .flatMap((r) => r.figures)
  .filter((f) => !meets(f) && (values.strict || f.gate));
if (missed.length) {
  console.error(`${missed.length} figure(s) missed a gated target`);
  process.exitCode = 1;
}

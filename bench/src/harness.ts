import { spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** One measured figure and its target. */
export interface Figure {
  /** What was measured. */
  name: string;
  /** The measurement. */
  value: number;
  /** Unit of `value` and `target`. */
  unit: string;
  /** The target. */
  target: number;
  /** Whether the figure must be at most (`<=`) or at least (`>=`) the target. */
  better: "<=" | ">=";
  /** Whether a miss fails the run even in quick mode (deterministic figures such as memory or counts). */
  gate?: boolean;
}

/** The figures of one scenario. */
export interface ScenarioResult {
  scenario: string;
  figures: Figure[];
  /** Context worth printing (sizes, settings). */
  notes: string[];
}

/** Settings every scenario receives. */
export interface BenchContext {
  /** Smaller inputs, for CI. */
  quick: boolean;
  /** Scratch directory, removed by the runner. */
  workDir: string;
  /** Node options for the client workers whose CPU is measured (`--cpu-prof` and its directory, when profiling). */
  nodeFlags: string[];
}

/** A benchmark scenario. */
export interface Scenario {
  name: string;
  run(context: BenchContext): Promise<ScenarioResult>;
}

/** Whether a figure meets its target. */
export const meets = (f: Figure) => (f.better === "<=" ? f.value <= f.target : f.value >= f.target);

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1));

/** Prints the results as a table: figure, value, target, pass. */
export function printTable(results: ScenarioResult[]): void {
  const rows = [["scenario", "figure", "value", "target", "pass"]];
  for (const r of results) {
    for (const f of r.figures) {
      rows.push([
        r.scenario,
        f.name,
        `${fmt(f.value)} ${f.unit}`,
        `${f.better} ${fmt(f.target)} ${f.unit}`,
        meets(f) ? "yes" : "NO",
      ]);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const [i, row] of rows.entries()) {
    console.log(row.map((cell, j) => cell.padEnd(widths[j]!)).join("  "));
    if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  }
  for (const r of results) for (const note of r.notes) console.log(`  ${r.scenario}: ${note}`);
}

/** Writes the results as JSON. */
export async function writeJson(results: ScenarioResult[], path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(
    path,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, results }, null, 2)}\n`,
  );
}

/** Counters of the simulator process (see `SimulatorState.snapshot`). */
export interface SimulatorCounters {
  requests: Record<string, number>;
  uploadsByHash: Record<string, number>;
  bytesReceived: number;
  peakInFlight: number;
  responsesByStatus: Record<string, number>;
  /** Most requests of one Central Management client within one rate-limit window. */
  peakRequestsPerRateWindow: number;
  /** CPU time (user + system) of the simulator process since its last reset, ms. */
  cpuMs: number;
}

/** A simulator running in its own process, so its CPU and memory are not the client's. */
export interface SimulatorProcess {
  url: string;
  /** Reads the counters. */
  state(): Promise<SimulatorCounters>;
  /** Zeroes the counters. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the simulator (with `options`, as for `createSimulator`) on a free loopback port in a child process. */
export async function startSimulatorProcess(
  options: Record<string, unknown> = {},
): Promise<SimulatorProcess> {
  const script = join(dirname(fileURLToPath(import.meta.url)), "sim-worker.js");
  const child = spawn(process.execPath, [script, JSON.stringify(options)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout! });
  const waiting: Array<(line: string) => void> = [];
  lines.on("line", (line) => waiting.shift()?.(line));
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const exited = (code: number | null) => reject(new Error(`simulator exited with ${code}`));
      child.once("exit", exited);
      waiting.push((line) => {
        child.off("exit", exited);
        resolve(line);
      });
    });
  const ask = async (command: string) => {
    const answer = next();
    child.stdin!.write(`${command}\n`);
    return JSON.parse(await answer);
  };
  const { url } = JSON.parse(await next()) as { url: string };
  return {
    url,
    state: () => ask("state"),
    reset: async () => {
      await ask("reset");
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.stdin!.end("exit\n");
      }),
  };
}

/** Runs a command, resolving with its wall time in ms; rejects on a non-zero exit. */
export function timeCommand(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "inherit"] });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`${command} exited with ${code}`)),
    );
  });
}

/** Runs a Node script of this package in a child process (with `nodeFlags`) and parses the JSON it prints last. */
export function runWorker<T>(script: string, args: string[], nodeFlags: string[] = []): Promise<T> {
  const path = join(dirname(fileURLToPath(import.meta.url)), script);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, path, ...args], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout!.on("data", (chunk) => {
      out += chunk;
    });
    child.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`${script} exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split("\n").at(-1) ?? "") as T);
      } catch (error) {
        reject(error);
      }
    });
  });
}

import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../paths.js";

/** The built `mdkit` executable. */
export const BUILT_CLI = join(repoRoot, "packages/cli/dist/bin.js");

/** Whether the CLI is built; cases against it skip (saying why) when it is not. */
export const cliBuilt = existsSync(BUILT_CLI);

/** What a run of the built CLI (or another Node script) produced. */
export interface CliRun {
  /** Exit code (`null` when killed). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time, ms. */
  elapsedMs: number;
  /** Peak resident memory of the process, MB, sampled from `/proc` (undefined where there is none). */
  peakRssMb: number | undefined;
}

/** The high-water mark of a process's resident memory, MB (Linux), if it can be read. */
function peakRssOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}

/**
 * Runs a Node script in a process of its own with only `env` (and PATH) as
 * its environment, collecting its output and sampling its peak memory. A run
 * still going after `killAfterMs` (default 120,000) is killed and reported
 * with code `null`, so a hanging process fails its case instead of the suite.
 */
export function runNodeScript(
  script: string,
  args: string[],
  env: Record<string, string | undefined>,
  options: { killAfterMs?: number } = {},
): Promise<CliRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [script, ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let peak: number | undefined;
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const sample = setInterval(() => {
    const now = peakRssOf(child.pid);
    if (now !== undefined) peak = Math.max(peak ?? 0, now);
  }, 25);
  const kill = setTimeout(() => child.kill("SIGKILL"), options.killAfterMs ?? 120_000);
  return new Promise((resolve) => {
    child.on("close", (code) => {
      clearInterval(sample);
      clearTimeout(kill);
      resolve({
        code,
        stdout,
        stderr,
        elapsedMs: Math.round(performance.now() - started),
        peakRssMb: peak,
      });
    });
  });
}

/** Runs the built CLI (see {@link runNodeScript}). */
export function runBuiltCli(
  args: string[],
  env: Record<string, string | undefined>,
  options: { killAfterMs?: number } = {},
): Promise<CliRun> {
  return runNodeScript(BUILT_CLI, args, env, options);
}

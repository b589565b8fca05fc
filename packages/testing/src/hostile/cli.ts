import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../paths.js";

/** The built `mdkit` (run with `process.execPath`); hostile cases of the CLI need `pnpm build` first. */
export const BUILT_CLI = join(repoRoot, "packages/cli/dist/bin.js");

/**
 * Whether the built CLI exists; when it does not, says why on stderr, so a
 * case skipped for that reason is never mistaken for a pass.
 */
export function builtCliAvailable(label = "hostile"): boolean {
  if (existsSync(BUILT_CLI)) return true;
  console.warn(
    `[${label}] skipping the built-CLI cases: ${BUILT_CLI} is missing (run "pnpm build" first; "pnpm test" builds before testing)`,
  );
  return false;
}

/** What one run of the built CLI (or of another Node script) produced. */
export interface CliRun {
  /** Exit code; `null` when it was killed by a signal (see `killed`). */
  code: number | null;
  /** Whether it ran past its time limit and was killed. */
  killed: boolean;
  stdout: string;
  stderr: string;
  /** Wall time, ms. */
  elapsedMs: number;
  /** Peak resident memory of the process, MB, sampled from `/proc` (undefined where there is none). */
  peakRssMb: number | undefined;
}

/** Options of {@link runNodeScript} and {@link runBuiltCli}. */
export interface RunOptions {
  /** The environment besides `PATH` (nothing else is inherited). */
  env?: Record<string, string | undefined>;
  /** Working directory. Default: this process's. */
  cwd?: string;
  /** Killed (SIGKILL) after this long, ms. Default 30,000. */
  timeoutMs?: number;
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
 * Runs a Node script in a process of its own, with only `PATH` and `env` in
 * its environment, collecting its output and sampling its peak memory; killed
 * (SIGKILL) after `timeoutMs`, so a hanging process fails its case instead of
 * the suite.
 */
export function runNodeScript(
  script: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CliRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [script, ...args], {
    env: { PATH: process.env.PATH ?? "", ...options.env },
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let killed = false;
  let peak: number | undefined;
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const sample = setInterval(() => {
    const now = peakRssOf(child.pid);
    if (now !== undefined) peak = Math.max(peak ?? 0, now);
  }, 25);
  const timer = setTimeout(() => {
    killed = true;
    child.kill("SIGKILL");
  }, options.timeoutMs ?? 30_000);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      clearInterval(sample);
      resolve({
        code,
        killed,
        stdout,
        stderr,
        elapsedMs: Math.round(performance.now() - started),
        peakRssMb: peak,
      });
    });
  });
}

/**
 * Runs the built `mdkit` with `args` (see {@link runNodeScript}), as a
 * user's shell would.
 */
export function runBuiltCli(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  return runNodeScript(BUILT_CLI, args, options);
}

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../paths.js";

/** The built `mdkit` (run with `process.execPath`); hostile cases of the CLI need `pnpm build` first. */
export const BUILT_CLI = join(repoRoot, "packages/cli/dist/bin.js");

/**
 * Whether the built CLI exists; when it does not, says so once on stderr, so
 * that a case skipped for that reason is never mistaken for a pass.
 */
export function builtCliAvailable(): boolean {
  const available = existsSync(BUILT_CLI);
  if (!available)
    console.warn(
      `[hostile] skipping the built-CLI cases: ${BUILT_CLI} is missing (run "pnpm build")`,
    );
  return available;
}

/** What one run of the built CLI produced. */
export interface CliRun {
  /** Exit code (`null` when killed by a signal). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built `mdkit` with `args` in `cwd`, with only `PATH` and `env` in
 * its environment; killed (SIGKILL) after `timeoutMs` (default 30 s).
 */
export function runBuiltCli(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  const child = spawn(process.execPath, [BUILT_CLI, ...args], {
    env: { PATH: process.env.PATH ?? "", ...options.env },
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 30_000);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

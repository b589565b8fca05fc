import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
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

/** What one run of the built CLI produced. */
export interface CliRun {
  /** Exit code; `null` when it was killed by a signal (see `killed`). */
  code: number | null;
  /** Whether it ran past its time limit and was killed. */
  killed: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built `mdkit` with `args` in `cwd`, with only `PATH` and `env` in
 * its environment, as a user's shell would; killed (SIGKILL) after
 * `timeoutMs` (default 30,000).
 */
export function runBuiltCli(
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  const child = spawn(process.execPath, [BUILT_CLI, ...args], {
    env: { PATH: process.env.PATH ?? "", ...options.env },
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let killed = false;
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => {
    killed = true;
    child.kill("SIGKILL");
  }, options.timeoutMs ?? 30_000);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, killed, stdout, stderr });
    });
  });
}

import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root, from `bench/dist`. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");

/** The built `mdkit` executable of this repository. */
export const CLI_BIN = join(REPO_ROOT, "packages/cli/dist/bin.js");

/** What a command run in a shell printed. */
export interface ShellResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `bash -c script` with `env` added, collecting its output. */
export function runShell(
  script: string,
  env: Record<string, string> = {},
  cwd?: string,
): Promise<ShellResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", script], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
      ...(cwd ? { cwd } : {}),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * CPU time (user + system, ms) of `runs` runs of a command, measured by
 * bash's `times` (the CPU time of the shell's finished children), divided by `runs`.
 */
export async function cpuPerRun(command: string, runs: number): Promise<number> {
  const { stdout, code } = await runShell(
    `for ((i = 0; i < ${runs}; i++)); do ${command} > /dev/null || exit 1; done; times`,
  );
  if (code !== 0) throw new Error(`${command} failed`);
  // `times` prints the shell's own times, then its children's: "0m0.512s 0m0.101s".
  const children = stdout.trim().split("\n").at(-1) ?? "";
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map(
    (m) => Number(m[1]) * 60 + Number(m[2]),
  );
  if (seconds.length !== 2) throw new Error(`unexpected output of times: ${children}`);
  return ((seconds[0] as number) + (seconds[1] as number)) * (1000 / runs);
}

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { NO_CONFIG } from "./helpers.js";

/** The built `mdkit` executable. */
export const BIN = resolve(import.meta.dirname, "../dist/bin.js");

/** Whether the CLI is built (the built-bin tests are skipped, saying so, when it is not). */
export const built = existsSync(BIN);
if (!built) {
  console.warn(
    `[@mdkit/cli] skipping the built-bin tests: ${BIN} is missing (run "pnpm build" first; "pnpm test" builds before testing)`,
  );
}

/** What a run of the built bin produced. */
export interface BinResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `mdkit` as a child process with exactly `env` (plus PATH). */
export function spawnBin(
  args: string[],
  env: Record<string, string | undefined> = {},
  options: { stdin?: string; cwd?: string } = {},
) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH, MDKIT_CONFIG_DIR: NO_CONFIG, ...env },
    stdio: [options.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<BinResult>((ok) => {
    child.on("close", (code) => ok({ code, stdout, stderr }));
  });
  return { child, done, stdout: () => stdout, stderr: () => stderr };
}

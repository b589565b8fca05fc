/**
 * Runs commands for the release checks: output captured, time measured, a
 * deadline on each, and the failure reported with what the command printed.
 */
import { spawn } from "node:child_process";

/**
 * @typedef {object} RunResult
 * @property {number | null} code exit code (null when killed).
 * @property {string} stdout
 * @property {string} stderr
 * @property {number} ms wall time.
 */

/**
 * Runs a command to completion.
 *
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number, input?: string }} [options]
 *   `timeoutMs` defaults to 10 minutes; the process is killed past it.
 * @returns {Promise<RunResult>}
 * @example
 * const { code, stdout } = await run("node", ["--version"]);
 */
export function run(command, args, options = {}) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 600_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/**
 * Runs a command and throws, with its output, unless it exits with 0.
 *
 * @param {string} command
 * @param {string[]} args
 * @param {Parameters<typeof run>[2]} [options]
 * @returns {Promise<RunResult>}
 */
export async function runOrThrow(command, args, options) {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `\`${[command, ...args].join(" ")}\` exited with ${result.code}\n${result.stdout}${result.stderr}`,
    );
  }
  return result;
}

/** Seconds with one decimal, for step timings. */
export const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Calls `task` for every item, two at a time (CI machines have two cores;
 * the tasks are single-threaded child processes), in the items' order.
 *
 * @template T
 * @param {readonly T[]} items
 * @param {(item: T) => Promise<void>} task
 */
export async function twoAtATime(items, task) {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
  };
  await Promise.all([worker(), worker()]);
}

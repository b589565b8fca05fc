import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

/** A child process of a test, read line by line. */
export interface Child {
  process: ChildProcess;
  /** Resolves with the next line on stdout that `match` accepts. */
  line(match?: (line: string) => boolean): Promise<string>;
  /** Calls `listener` for every line on stdout. */
  onLine(listener: (line: string) => void): void;
  /** Writes a line to stdin. */
  send(line: string): void;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs a bundled script with `node`, its settings as one JSON argument. */
export function startChild(script: string, settings: unknown): Child {
  const child = spawn(process.execPath, [script, JSON.stringify(settings)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const listeners = new Set<(line: string) => void>();
  createInterface({ input: child.stdout! }).on("line", (line) => {
    for (const listener of [...listeners]) listener(line);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    process: child,
    exited,
    onLine: (listener) => listeners.add(listener),
    line: (match = () => true) =>
      new Promise((resolve, reject) => {
        const listener = (line: string) => {
          if (!match(line)) return;
          listeners.delete(listener);
          resolve(line);
        };
        listeners.add(listener);
        void exited.then(({ code, signal }) =>
          reject(new Error(`${script} exited (${signal ?? code}) before the expected line`)),
        );
      }),
    send: (line) => {
      child.stdin!.write(`${line}\n`);
    },
  };
}

/** Stops a child: `signal` first, SIGKILL if it is still there after `graceMs`. */
export async function stopChild(
  child: Child,
  signal: NodeJS.Signals = "SIGTERM",
  graceMs = 10_000,
) {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill(signal);
  const timer = setTimeout(() => child.process.kill("SIGKILL"), graceMs);
  await child.exited;
  clearTimeout(timer);
}

import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { freePort } from "./ports.js";

/** A running Prism process. */
export interface PrismServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** What Prism printed so far (for diagnosing a failed start or a violation). */
  output(): string;
  /** Stops the process and waits for it to exit. */
  close(): Promise<void>;
}

/** Options of {@link startPrism}. */
export interface PrismOptions {
  /** `mock` serves examples; `proxy` forwards to `upstream` and validates. Default `mock`. */
  mode?: "mock" | "proxy";
  /** Upstream base URL for proxy mode. */
  upstream?: string;
  /** Turn response violations into errors (proxy mode). Default false. */
  errors?: boolean;
  /** How long to wait for Prism to listen, in ms. Default 30000. */
  startTimeoutMs?: number;
}

function prismBin(): string {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve("@stoplight/prism-cli/package.json");
  const pkg = require(pkgPath) as { bin: string | Record<string, string> };
  const bin = typeof pkg.bin === "string" ? pkg.bin : (pkg.bin.prism as string);
  return join(dirname(pkgPath), bin);
}

function waitForExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

/**
 * Starts Prism on 127.0.0.1 on a free port for one spec and resolves once
 * it listens. Always pair with `close()` (global setups do it in teardown).
 */
export async function startPrism(spec: string, options: PrismOptions = {}): Promise<PrismServer> {
  const mode = options.mode ?? "mock";
  const port = await freePort();
  const args = [prismBin(), mode];
  if (mode === "proxy") {
    if (!options.upstream) throw new Error("startPrism: proxy mode needs `upstream`");
    args.push(spec, options.upstream);
  } else {
    args.push(spec);
  }
  args.push("-h", "127.0.0.1", "-p", String(port));
  if (options.errors) args.push("--errors");
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout?.on("data", (chunk) => {
    log += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    log += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  const server: PrismServer = {
    url,
    output: () => log,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await waitForExit(child);
    },
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  while (!/listening on/i.test(log)) {
    if (child.exitCode !== null) throw new Error(`Prism exited with ${child.exitCode}:\n${log}`);
    if (Date.now() > deadline) {
      await server.close();
      throw new Error(`Prism did not start within the time limit:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return server;
}

/** What the transport cases share: a gateway per case, closed after it, and the ways to drive mdkit at it. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClusterClient } from "@mdkit/cluster";
import {
  builtCliAvailable,
  CANARIES,
  type CliRun,
  type GatewayRoutes,
  type HostileProbe,
  type HostileServer,
  hostileGateway,
  runBuiltCli,
  runNodeScript,
  startHostileServer,
} from "@mdkit/testing/hostile";
import { closedAfterEach } from "./server-pool.js";

const closed = closedAfterEach();

/** Starts a hostile gateway with the given routes replaced; closed after the test. */
export async function gatewayWith(routes: GatewayRoutes): Promise<HostileServer> {
  return closed(await startHostileServer(hostileGateway(routes)));
}

/** A Cluster client of `gateway` with the canary apikey, through the Node transport. */
export const clientOf = (gateway: HostileServer) =>
  createClusterClient({ baseUrl: gateway.url, auth: () => ({ apikey: CANARIES.apikey }) });

/** Whether the built-CLI cases are skipped (the reason is printed). */
export const CLI_SKIP = !builtCliAvailable("hostile transport");

/**
 * Runs `mdkit scan` of a small file against `gateway` (with the canary apikey
 * unless other credentials are given), reporting its stdout and stderr to the probe.
 */
export async function cliScan(
  probe: HostileProbe,
  gateway: HostileServer,
  args: string[],
  content = "hostile cli payload",
  credentials: Record<string, string> = { MDKIT_CLUSTER_APIKEY: CANARIES.apikey },
): Promise<CliRun> {
  const dir = await mkdtemp(join(tmpdir(), "mdkit-hostile-"));
  try {
    const file = join(dir, "sample.txt");
    await writeFile(file, content);
    const run = await runBuiltCli(["scan", "--format", "json", ...args, file], {
      env: { MDKIT_CLUSTER_URL: gateway.url, ...credentials },
      timeoutMs: 60_000,
    });
    probe.output("cli stdout", run.stdout);
    probe.output("cli stderr", run.stderr);
    return run;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** What `fixtures/scan-child.mjs` printed: the scan's outcome and its peak RSS. */
export interface ChildOutcome {
  verdict?: string;
  error?: string;
  message?: string;
  peakRssMb: number;
}

/** What {@link scanInChild} scans, and how. */
export interface ChildScan {
  /** A file to scan (hash first unless `hashFirst` is false). Default: a small built-in payload. */
  path?: string;
  hashFirst?: boolean;
  /** The child's environment besides the canary apikey. */
  env?: Record<string, string>;
}

/** Scans in a child process (built packages) and reports its output to the probe. */
export async function scanInChild(
  probe: HostileProbe,
  gateway: HostileServer,
  timeoutMs: number,
  scan: ChildScan = {},
): Promise<ChildOutcome> {
  const script = join(import.meta.dirname, "fixtures/scan-child.mjs");
  const file = scan.path
    ? [scan.path, scan.hashFirst === false ? "no-hash-first" : "hash-first"]
    : [];
  const run = await runNodeScript(script, [gateway.url, String(timeoutMs), ...file], {
    env: { MDKIT_CLUSTER_APIKEY: CANARIES.apikey, ...scan.env },
    timeoutMs: 60_000,
  });
  probe.output("child stdout", run.stdout);
  probe.output("child stderr", run.stderr);
  if (run.code !== 0) throw new Error(`the scan child exited with ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as ChildOutcome;
}

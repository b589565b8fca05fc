/**
 * Shared by the `evidence-*` cases: a real simulated gateway behind a
 * rewriting one that lies where a case says, a client and CLI environment
 * pointing at the liar (with the canary apikey), and a temporary folder.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ClusterClient, createClusterClient } from "@mdkit/cluster";
import { createSimulator, type Simulator, type SimulatorOptions } from "@mdkit/simulator";
import {
  CANARIES,
  type CliRun,
  type HostileProbe,
  type HostileServer,
  type Rewrite,
  startRewritingGateway,
} from "@mdkit/testing/hostile";

/** A lying gateway in front of the simulator. */
export interface LyingGateway extends AsyncDisposable {
  sim: Simulator;
  /** The liar: every request the client or CLI made is in `gateway.requests`. */
  gateway: HostileServer;
  /** A client of the liar. */
  cluster: ClusterClient;
  /** The CLI's environment for the liar. */
  env: Record<string, string>;
}

/** Starts the simulator and a gateway in front of it that answers through `rewrite`. */
export async function lyingGateway(
  rewrite: Rewrite,
  options: SimulatorOptions = {},
): Promise<LyingGateway> {
  const sim = createSimulator({
    ...options,
    cluster: { scanDurationMs: 20, apiKeys: [CANARIES.apikey], ...options.cluster },
  });
  const upstream = await sim.listen();
  const gateway = await startRewritingGateway(upstream.url, rewrite);
  const cluster = createClusterClient({
    baseUrl: gateway.url,
    auth: () => ({ apikey: CANARIES.apikey }),
  });
  const close = async () => {
    await gateway.close();
    await sim.close();
  };
  return {
    sim,
    gateway,
    cluster,
    env: { MDKIT_CLUSTER_URL: gateway.url, MDKIT_CLUSTER_APIKEY: CANARIES.apikey },
    [Symbol.asyncDispose]: close,
  };
}

/** A temporary folder with files (name → content), removed on dispose. */
export async function folder(
  files: Record<string, string>,
): Promise<{ path: string; file(name: string): string } & AsyncDisposable> {
  const path = await mkdtemp(join(tmpdir(), "mdkit-hostile-"));
  for (const [name, content] of Object.entries(files)) await writeFile(join(path, name), content);
  return {
    path,
    file: (name) => join(path, name),
    [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }),
  };
}

/** The JSON Lines rows of a CLI run (lines that are not JSON are ignored). */
export function rowsOf(run: CliRun): Record<string, unknown>[] {
  return run.stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Reports a CLI run to the probe: both outputs, and whether it passed infected content as clean. */
export function reportCliRun(probe: HostileProbe, run: CliRun, infectedNames: string[]): void {
  probe.output("stdout", run.stdout);
  probe.output("stderr", run.stderr);
  const rows = rowsOf(run);
  for (const name of infectedNames) {
    const row = rows.find((r) => r.name === name);
    // Exit code 0 says "every file clean" whatever the rows say.
    probe.infected(run.code === 0 || row?.verdict === "clean");
  }
}

/**
 * Awaits a scan of content known to be infected: a result is reported to the
 * probe (clean or not); an error is reported with every rendering and returned.
 */
export async function errorOfInfectedScan(
  probe: HostileProbe,
  scan: Promise<{ clean: boolean }>,
): Promise<unknown> {
  try {
    probe.infected((await scan).clean);
    return undefined;
  } catch (error) {
    probe.error("error", error);
    return error;
  }
}

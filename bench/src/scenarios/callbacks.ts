import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createClusterClient } from "@mdkit/cluster";
import { type CallbackReceiver, createCallbackReceiver, scanFiles } from "@mdkit/scan/node";
import { bareFloorPass, floorBodies } from "../bare-floor.js";
import type { BenchContext, Scenario, SimulatorProcess } from "../harness.js";
import { startSimulatorProcess } from "../harness.js";

const CAPACITY = 16;
const SCAN_MS = 40;
const DROPPED = 0.2;
const APIKEY = "bench-apikey";

interface Pass {
  ms: number;
  ok: number;
  failed: number;
  /** Requests to the gateway per file, the uploads left out. */
  requestsPerFile: number;
  polls: number;
  busy: number;
  /** CPU time of this process (the client and its receiver) over the pass, ms. */
  clientCpuMs: number;
  /** CPU time of the simulator's process over the pass, ms. */
  simCpuMs: number;
}

/**
 * One `scanFiles` pass over `paths`, polling or with `callbacks`, and what it
 * cost the gateway. Every file is unique and clean; the hash lookup is off,
 * so that what is counted is the wait for the result alone.
 */
async function pass(
  sim: SimulatorProcess,
  paths: string[],
  callbacks: CallbackReceiver | undefined,
): Promise<Pass> {
  await sim.reset();
  const cluster = createClusterClient({ baseUrl: sim.url, auth: () => ({ apikey: APIKEY }) });
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  let ok = 0;
  let failed = 0;
  for await (const item of scanFiles(cluster, paths, {
    hashFirst: false,
    // The gateway's capacity is known: both modes use all of it and no more.
    concurrency: { initial: CAPACITY, min: CAPACITY, max: CAPACITY },
    // Files waiting for their verdict (a callback, a poll) must not hold back the next uploads.
    prefetch: 8 * CAPACITY,
    ...(callbacks ? { callbacks } : {}),
  })) {
    if (item.ok && item.result.verdict === "clean") ok++;
    else failed++;
  }
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuAtStart);
  const counters = await sim.state();
  const all = Object.values(counters.requests).reduce((a, b) => a + b, 0);
  const uploads = counters.requests.analyzeFile ?? 0;
  return {
    ms,
    ok,
    failed,
    requestsPerFile: (all - uploads) / paths.length,
    polls: (counters.requests.getAnalysisResult ?? 0) / paths.length,
    busy: counters.responsesByStatus["503"] ?? 0,
    clientCpuMs: (cpu.user + cpu.system) / 1000,
    simCpuMs: counters.cpuMs,
  };
}

/** Unique small files in `dir`. */
async function makeFiles(dir: string, count: number, tag: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = join(dir, `file-${String(i).padStart(5, "0")}.txt`);
    await writeFile(path, `${tag} ${i}\n${"x".repeat(1000)}\n`);
    paths.push(path);
  }
  return paths;
}

/**
 * Results pushed by the gateway's callbacks against results polled, in one
 * run: `scanFiles` over many small files, a gateway that processes 16 at
 * once, 40 ms each (ideal wall time N·t/C). Targets with callbacks: at most
 * 1.05 requests per file beyond the upload, wall time within 1.05× the
 * ideal; with 20 % of the callbacks dropped, no verdict lost.
 */
export const callbacksScenario: Scenario = {
  name: "callbacks",
  async run({ quick, workDir }: BenchContext) {
    const count = quick ? 200 : 2_000;
    const ideal = (count * SCAN_MS) / CAPACITY;
    const gateway = { capacity: CAPACITY, scanDurationMs: SCAN_MS, apiKeys: [APIKEY] };
    const sim = await startSimulatorProcess({ cluster: { ...gateway, callbacks: {} } });
    const lossy = await startSimulatorProcess({
      cluster: { ...gateway, callbacks: { lossRate: DROPPED } },
    });
    const receiver = await createCallbackReceiver();
    try {
      // Warm-up (not measured): both modes then run on compiled code.
      await pass(sim, await makeFiles(join(workDir, "cb-warm"), 8 * CAPACITY, "warm"), receiver);
      const polling = await pass(
        sim,
        await makeFiles(join(workDir, "cb-poll"), count, "poll"),
        undefined,
      );
      const pushed = await pass(
        sim,
        await makeFiles(join(workDir, "cb-push"), count, "push"),
        receiver,
      );
      const dropped = await pass(
        lossy,
        await makeFiles(join(workDir, "cb-lossy"), count, "lossy"),
        receiver,
      );
      // The same gateway through the least client there is: what is left above the ideal is not the SDK's.
      const floor = await bareFloorPass({
        baseUrl: sim.url,
        apikey: APIKEY,
        bodies: floorBodies("callbacks", count),
        concurrency: CAPACITY,
        mode: { kind: "callbacks" },
      });
      const line = (label: string, p: Pass) =>
        `${label}: ${p.ms.toFixed(0)} ms (${(p.ms / ideal).toFixed(3)}× ideal), ${p.requestsPerFile.toFixed(3)} requests/file beyond the upload (${p.polls.toFixed(3)} GET /file/{id}), ${p.busy} × 503, ${p.ok} ok, ${p.failed} failed; CPU per file: client ${(p.clientCpuMs / count).toFixed(2)} ms, simulator ${(p.simCpuMs / count).toFixed(2)} ms`;
      return {
        scenario: "callbacks",
        figures: [
          {
            name: "polling: wall time / ideal",
            value: polling.ms / ideal,
            unit: "x",
            target: 1.15,
            better: "<=",
          },
          {
            name: "callbacks: requests per file beyond the upload",
            value: pushed.requestsPerFile,
            unit: "req",
            target: 1.05,
            better: "<=",
          },
          {
            name: "callbacks: wall time / ideal",
            value: pushed.ms / ideal,
            unit: "x",
            target: 1.05,
            better: "<=",
          },
          {
            name: "callbacks: wall time / bare client's",
            value: pushed.ms / floor.ms,
            unit: "x",
            target: 1.05,
            better: "<=",
          },
          {
            name: "callbacks, 20% dropped: lost verdicts",
            value: count - dropped.ok,
            unit: "files",
            target: 0,
            better: "<=",
            gate: true,
          },
        ],
        notes: [
          `${count} files, capacity ${CAPACITY}, ${SCAN_MS} ms each, concurrency fixed at ${CAPACITY}, prefetch ${8 * CAPACITY}, no hash lookup, after a warm-up pass: ideal ${ideal.toFixed(0)} ms`,
          line("polling", polling),
          line("callbacks", pushed),
          line(`callbacks, ${DROPPED * 100}% dropped`, dropped),
          `receiver: ${JSON.stringify(receiver.stats)}`,
          `bare node:http client with callbacks (bodies in memory, no checks; the floor of this machine and simulator): ${floor.ms.toFixed(0)} ms (${(floor.ms / ideal).toFixed(3)}× ideal), client CPU ${(floor.cpuMs / count).toFixed(2)} ms per file`,
        ],
      };
    } finally {
      await receiver.close();
      await Promise.all([sim.stop(), lossy.stop()]);
    }
  },
};

import { join } from "node:path";
import { scanFiles } from "@mdkit/scan/node";
import { bareFloorPass, floorBodies } from "../bare-floor.js";
import type { BenchContext, Scenario } from "../harness.js";
import { APIKEY, startLoadedGateway, writeBenchFiles } from "./gateway-load.js";

const CAPACITY = 16;
const SCAN_MS = 40;

/**
 * `scanFiles` over many small files against a gateway that processes at most
 * 16 files at once, 40 ms each. Ideal wall time is N·t/C; targets: within
 * 1.15× of it, no failed file, at most 3 polls per file on average, and a
 * second pass over the same files uploads nothing (hash-first).
 */
export const scanFilesScenario: Scenario = {
  name: "scan-files",
  async run({ quick, workDir }: BenchContext) {
    const count = quick ? 400 : 2_000;
    const paths = await writeBenchFiles(join(workDir, "files"), "file", count);
    const { sim, cluster } = await startLoadedGateway({ capacity: CAPACITY, scanMs: SCAN_MS });
    try {
      const run = async () => {
        const started = performance.now();
        const cpu = process.cpuUsage();
        let failed = 0;
        let ok = 0;
        for await (const item of scanFiles(cluster, paths, {
          concurrency: { initial: CAPACITY, max: 64 },
        })) {
          if (item.ok) ok++;
          else failed++;
        }
        const used = process.cpuUsage(cpu);
        return {
          ms: performance.now() - started,
          cpuMs: (used.user + used.system) / 1000,
          failed,
          ok,
        };
      };
      // Zeroed so that the simulator's CPU time below covers the first pass alone.
      await sim.reset();
      const first = await run();
      const counters = await sim.state();
      await sim.reset();
      const second = await run();
      const again = await sim.state();
      // The same gateway through the least client there is (an oracle times its polls).
      const floor = await bareFloorPass({
        baseUrl: sim.url,
        apikey: APIKEY,
        bodies: floorBodies("scan-files", count),
        concurrency: CAPACITY,
        mode: { kind: "poll", firstPollMs: SCAN_MS, repollMs: 2, lookup: true },
      });
      const ideal = (count * SCAN_MS) / CAPACITY;
      const polls = (counters.requests.getAnalysisResult ?? 0) / count;
      return {
        scenario: "scan-files",
        figures: [
          {
            name: "wall time / ideal N·t/C",
            value: first.ms / ideal,
            unit: "x",
            target: 1.15,
            better: "<=",
          },
          {
            name: "failed files",
            value: first.failed,
            unit: "files",
            target: 0,
            better: "<=",
            gate: true,
          },
          {
            name: "wall time / bare client's",
            value: first.ms / floor.ms,
            unit: "x",
            target: 1.05,
            better: "<=",
          },
          { name: "polls per file", value: polls, unit: "polls", target: 3, better: "<=" },
          {
            name: "second pass: bytes uploaded",
            value: again.bytesReceived,
            unit: "B",
            target: 0,
            better: "<=",
            gate: true,
          },
        ],
        notes: [
          `${count} files, capacity ${CAPACITY}, ${SCAN_MS} ms each: ideal ${ideal.toFixed(0)} ms, first pass ${first.ms.toFixed(0)} ms (${first.ok} ok), second pass ${second.ms.toFixed(0)} ms`,
          // The client runs in this process: its CPU shows whether it, not the gateway, set the pace.
          `client CPU (this process) over the first pass: ${(first.cpuMs / 1000).toFixed(1)} s, ${(first.cpuMs / count).toFixed(2)} ms per file; simulator CPU (its process): ${(counters.cpuMs / 1000).toFixed(1)} s, ${(counters.cpuMs / count).toFixed(2)} ms per file`,
          `bare node:http client (bodies in memory, no checks, polls timed by an oracle; the floor of this machine and simulator): ${floor.ms.toFixed(0)} ms (${(floor.ms / ideal).toFixed(3)}× ideal), client CPU ${(floor.cpuMs / count).toFixed(2)} ms per file`,
          `first pass: ${counters.requests.analyzeFile ?? 0} uploads, ${counters.responsesByStatus["503"] ?? 0} × 503, ${counters.requests.lookupHash ?? 0} hash lookups, peak ${counters.peakInFlight} requests in flight`,
        ],
      };
    } finally {
      await sim.stop();
    }
  },
};

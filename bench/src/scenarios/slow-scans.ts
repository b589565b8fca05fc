import { join } from "node:path";
import type { BenchContext, Scenario } from "../harness.js";
import {
  describeRun,
  type GatewayLoad,
  percent,
  scanUnderLoad,
  startLoadedGateway,
  writeBenchFiles,
} from "./gateway-load.js";

const LOAD: GatewayLoad = { capacity: 16, scanMs: 1_500 };

/**
 * `scanFiles` with its default concurrency (starting at 4) against a gateway
 * of capacity 16 whose scans take 1.5 s: the limit must find the capacity
 * although each round of work takes seconds, and must not let new uploads
 * in while the gateway is still full. Targets: wall time ≤ 1.2× the ideal
 * N·t/C, 503 answers ≤ 10% of uploads, no failed file.
 */
export const slowScansScenario: Scenario = {
  name: "slow-scans",
  async run({ quick, workDir }: BenchContext) {
    const count = quick ? 96 : 200;
    const paths = await writeBenchFiles(join(workDir, "slow-scans"), "slow", count);
    const { sim, cluster } = await startLoadedGateway(LOAD);
    try {
      const run = await scanUnderLoad(sim, cluster, paths, undefined);
      const ideal = (count * LOAD.scanMs) / LOAD.capacity;
      return {
        scenario: "slow-scans",
        figures: [
          {
            name: "failed files",
            value: run.failed,
            unit: "files",
            target: 0,
            better: "<=",
            gate: true,
          },
          {
            name: "503 answers / uploads",
            value: percent(run.total.busy, run.total.uploads),
            unit: "%",
            target: 10,
            better: "<=",
          },
          {
            name: "wall time / ideal N·t/C",
            value: run.ms / ideal,
            unit: "x",
            target: 1.2,
            better: "<=",
          },
        ],
        notes: [
          `${count} files, capacity ${LOAD.capacity}, ${LOAD.scanMs} ms each, default concurrency: ideal ${ideal.toFixed(0)} ms`,
          describeRun(run),
        ],
      };
    } finally {
      await sim.stop();
    }
  },
};

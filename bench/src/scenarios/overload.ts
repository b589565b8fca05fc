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

const LOAD: GatewayLoad = { capacity: 4, scanMs: 40 };
/** The client starts far above the gateway's capacity, as a run configured for a bigger one would. */
const CONCURRENCY = { initial: 64, max: 64 };

/**
 * `scanFiles` against a gateway 16 times smaller than the client's starting
 * limit: capacity 4, 40 ms per file, 503 "busy" when full. The client must
 * learn the capacity within the first second and then keep the gateway full
 * without a storm of refusals. Targets: no failed file, 503 answers ≤ 10% of
 * the uploads sent after the first second, wall time ≤ 1.2× the ideal N·t/C.
 */
export const overloadScenario: Scenario = {
  name: "overload",
  async run({ quick, workDir }: BenchContext) {
    const count = quick ? 400 : 2_000;
    const paths = await writeBenchFiles(join(workDir, "overload"), "overload", count);
    const { sim, cluster } = await startLoadedGateway(LOAD);
    try {
      const run = await scanUnderLoad(sim, cluster, paths, CONCURRENCY);
      const ideal = (count * LOAD.scanMs) / LOAD.capacity;
      return {
        scenario: "overload",
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
            name: "503 answers / uploads after the first second",
            value: percent(run.afterFirstSecond.busy, run.afterFirstSecond.uploads),
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
          `${count} files, capacity ${LOAD.capacity}, ${LOAD.scanMs} ms each, client starting at ${CONCURRENCY.initial}: ideal ${ideal.toFixed(0)} ms`,
          describeRun(run),
        ],
      };
    } finally {
      await sim.stop();
    }
  },
};

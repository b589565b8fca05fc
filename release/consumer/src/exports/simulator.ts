// @mdkit/simulator as a consumer sees it.
import {
  createSimulator,
  DEFAULT_CREDENTIALS,
  EICAR_TEST_STRING,
  type Simulator,
  type SimulatorServer,
} from "@mdkit/simulator";

export async function serve(): Promise<SimulatorServer> {
  const sim: Simulator = createSimulator({ seed: 7, cluster: { scanDurationMs: 10 } });
  sim.faults.set("analyzeFile", { latencyMs: 5 });
  return sim.listen({ api: "cluster" });
}
export const eicarLength: number = EICAR_TEST_STRING.length;
export const user: string = DEFAULT_CREDENTIALS.cluster.user;

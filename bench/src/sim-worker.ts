/**
 * Child process of the benchmarks: a simulator over HTTP on loopback, with
 * options from argv[2] (JSON). Prints `{"url": ...}` once listening, then
 * answers lines on stdin: `state` prints the counters as JSON, `reset`
 * zeroes them, `exit` stops.
 */
import { createInterface } from "node:readline";
import { createSimulator, type SimulatorOptions } from "@mdkit/simulator";

const options = JSON.parse(process.argv[2] ?? "{}") as SimulatorOptions;
const sim = createSimulator(options);
const server = await sim.listen({ host: "127.0.0.1", port: 0 });
console.log(JSON.stringify({ url: server.url }));
for await (const line of createInterface({ input: process.stdin })) {
  if (line === "state") console.log(JSON.stringify(sim.state.snapshot()));
  else if (line === "reset") {
    sim.state.reset();
    console.log("{}");
  } else if (line === "exit") break;
}
await sim.close();
process.exit(0);

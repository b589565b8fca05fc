/**
 * Child process of the benchmarks: a simulator over HTTP on loopback, with
 * options from argv[2] (JSON). Prints `{"url": ...}` once listening, then
 * answers lines on stdin: `state` prints the counters as JSON (with the
 * CPU time, user + system, this process spent since the last reset), `reset`
 * zeroes them, `exit` stops.
 */
import { createInterface } from "node:readline";
import { createSimulator, type SimulatorOptions } from "@mdkit/simulator";

const options = JSON.parse(process.argv[2] ?? "{}") as SimulatorOptions;
const sim = createSimulator(options);
// The process is the simulator's alone: its HTTP adapter may use its lighter Request/Response.
const server = await sim.listen({ host: "127.0.0.1", port: 0, replaceGlobals: true });
console.log(JSON.stringify({ url: server.url }));
let cpuSince = process.cpuUsage();
const cpuMs = () => {
  const used = process.cpuUsage(cpuSince);
  return (used.user + used.system) / 1000;
};
for await (const line of createInterface({ input: process.stdin })) {
  if (line === "state") console.log(JSON.stringify({ ...sim.state.snapshot(), cpuMs: cpuMs() }));
  else if (line === "reset") {
    sim.state.reset();
    cpuSince = process.cpuUsage();
    console.log("{}");
  } else if (line === "exit") break;
}
await sim.close();
process.exit(0);

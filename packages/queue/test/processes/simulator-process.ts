/**
 * A simulator over HTTP in a process of its own, options in argv[2] (JSON).
 * Prints `{"url": ...}` once listening; answers `state` on stdin with the
 * counters as one JSON line; `exit` stops it.
 */
import { createInterface } from "node:readline";
import { createSimulator, type SimulatorOptions } from "@mdkit/simulator";

const sim = createSimulator(JSON.parse(process.argv[2] ?? "{}") as SimulatorOptions);
const server = await sim.listen({ host: "127.0.0.1", port: 0 });
console.log(JSON.stringify({ url: server.url }));
for await (const line of createInterface({ input: process.stdin })) {
  if (line === "state") {
    const { state } = sim;
    console.log(
      JSON.stringify({ ...state.snapshot(), duplicateUploads: state.duplicateUploads() }),
    );
  } else if (line === "exit") break;
}
await server.close();
await sim.close();
process.exit(0);

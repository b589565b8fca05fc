import { loadScenario } from "./gateway-load.js";

/**
 * `scanFiles` against a gateway 16 times smaller than the client's starting
 * limit: capacity 4, 40 ms per file, 503 "busy" when full. The client must
 * learn the capacity within the first second and then keep the gateway full
 * without a storm of refusals. Targets: no failed file, 503 answers ≤ 10% of
 * the uploads sent after the first second, wall time ≤ 1.2× the ideal N·t/C.
 */
export const overloadScenario = loadScenario({
  name: "overload",
  count: { full: 2_000, quick: 400 },
  load: { capacity: 4, scanMs: 40 },
  // The client starts far above the gateway's capacity, as a run configured for a bigger one would.
  concurrency: { initial: 64, max: 64 },
  busyShare: "after the first second",
  client: "client starting at 64",
});

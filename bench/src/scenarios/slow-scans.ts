import { loadScenario } from "./gateway-load.js";

/**
 * `scanFiles` with its default concurrency (starting at 4) against a gateway
 * of capacity 16 whose scans take 1.5 s: the limit must find the capacity
 * although each round of work takes seconds, and must not let new uploads
 * in while the gateway is still full. Targets: wall time ≤ 1.2× the ideal
 * N·t/C, 503 answers ≤ 10% of uploads, no failed file.
 */
export const slowScansScenario = loadScenario({
  name: "slow-scans",
  count: { full: 200, quick: 96 },
  load: { capacity: 16, scanMs: 1_500 },
  busyShare: "total",
  client: "default concurrency",
});

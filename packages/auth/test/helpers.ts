import { createSimulator, type SimulatorOptions } from "@mdkit/simulator";

/** Base URL the in-process simulator is addressed by (no socket behind it). */
export const SIM_URL = "http://simulator.test";

/** A controllable clock for token and session expiry. */
export { manualClock as fakeClock } from "@mdkit/testing";

/** An in-process simulator and its fetch, with a clock shared by the test. */
export function simulator(options: SimulatorOptions = {}) {
  const sim = createSimulator(options);
  return { sim, fetch: (request: Request) => sim.fetch(request) };
}

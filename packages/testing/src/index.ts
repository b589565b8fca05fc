/**
 * @module @mdkit/testing
 *
 * Test support for the mdkit packages (private): Prism servers for the
 * specs, free-port allocation, a response validator built on the specs and
 * a manual clock for timing tests.
 */
import "./provided-context.js";

export { type ManualClock, manualClock } from "./clock.js";
export { repoRoot, type SpecName, specPaths } from "./paths.js";
export { freePort } from "./ports.js";
export { type PrismOptions, type PrismServer, startPrism } from "./prism.js";
export { createSpecValidator, type SpecValidator } from "./spec-validator.js";

import "./provided-context.js";
import type { TestProject } from "vitest/node";
import { type SpecName, specPaths } from "./paths.js";
import { startPrism } from "./prism.js";

const SPEC_OF_PROJECT: Record<string, SpecName> = {
  "central-management": "cm",
  cluster: "cluster",
};

/**
 * Vitest global setup: a `prism mock` of the project's spec on a free
 * loopback port for the whole run, stopped in teardown whatever happened.
 */
export default async function setup(project: TestProject) {
  const spec = SPEC_OF_PROJECT[project.name];
  if (!spec) throw new Error(`no spec is mapped to the test project ${project.name}`);
  const prism = await startPrism(specPaths[spec]);
  project.provide("prismUrl", prism.url);
  return () => prism.close();
}

import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { defineConfig } from "vitest/config";

// Tests import workspace packages from source, so `vitest run` needs no build.
// Each package's exports carry an "@mdkit/source" condition pointing at its TypeScript entry.
type SourceEntry = { "@mdkit/source"?: string; node?: { "@mdkit/source"?: string } };
const packagesDir = resolve(import.meta.dirname, "packages");
const alias: Record<string, string> = {};
for (const dir of readdirSync(packagesDir)) {
  const manifest = JSON.parse(readFileSync(join(packagesDir, dir, "package.json"), "utf8"));
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    // The Node branch first: the tests run on Node, as most users of these packages do.
    const entry = typeof target === "object" && target ? (target as SourceEntry) : undefined;
    const source = entry?.node?.["@mdkit/source"] ?? entry?.["@mdkit/source"];
    if (source) alias[join(manifest.name, subpath)] = join(packagesDir, dir, source);
  }
}

const project = (name: string, extra: Record<string, unknown> = {}, dir = `packages/${name}`) => ({
  extends: true as const,
  test: { name, include: [`${dir}/test/**/*.test.ts`], ...extra },
});

// Longest first: an alias also matches subpaths ("@mdkit/scan" would capture "@mdkit/scan/node").
const sortedAlias = Object.fromEntries(
  Object.entries(alias).sort(([a], [b]) => b.length - a.length),
);

export default defineConfig({
  resolve: { alias: sortedAlias },
  test: {
    // In CI a JSON report is written too, so .ci/run can print a plain "N passed, N failed" line.
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: ".tmp/vitest-report.json" },
    // One test file per core. Vitest's own default is one per core minus one: a single file at a
    // time on a 2-core CI machine, whose cores then sit half idle while tests wait on loopback
    // servers, deadlines and child processes. Two per core were tried: the wall-clock deadline
    // cases of the hostile suite and Prism's start then fail on a loaded machine.
    // VITEST_MAX_WORKERS overrides.
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      project("core"),
      project("central-management", {
        globalSetup: ["packages/testing/src/prism-global-setup.ts"],
      }),
      project("cluster", { globalSetup: ["packages/testing/src/prism-global-setup.ts"] }),
      project("simulator"),
      project("auth"),
      project("scan"),
      project("direct-connection"),
      project("cli"),
      project("queue", { testTimeout: 60_000 }),
      project("docs", {}, "apps/docs"),
      {
        extends: true as const,
        test: {
          name: "hostile",
          include: ["test/hostile/cases/**/*.test.ts"],
          globalSetup: ["test/hostile/global-setup.ts"],
        },
      },
      // Type tests (`*.test-d.ts`, expectTypeOf): compiled by tsc, each reported as a test.
      {
        extends: true as const,
        test: {
          name: "types",
          include: [],
          typecheck: {
            enabled: true,
            only: true,
            include: ["packages/*/test/**/*.test-d.ts"],
            tsconfig: "./tsconfig.type-tests.json",
          },
        },
      },
    ],
  },
});

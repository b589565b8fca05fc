#!/usr/bin/env node
// Copies a client package's spec, byte for byte, to `dist/openapi.yaml`, where the
// package exports it (`@mdkit/<name>/openapi.yaml`) for users' own contract tests.
// Usage: node packages/codegen/src/copy-spec.mjs <package-name>   (run by the package's build)
import { copyFile, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { TARGETS } from "./spec-targets.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "../../..");
const name = process.argv[2];
const spec = TARGETS[name];
if (!spec) {
  console.error(
    `[@mdkit/codegen] unknown package "${name}": expected one of ${Object.keys(TARGETS).join(", ")}`,
  );
  process.exit(2);
}
const target = join(root, "packages", name, "dist", "openapi.yaml");
await mkdir(dirname(target), { recursive: true });
await copyFile(join(root, spec), target);

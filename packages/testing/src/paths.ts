import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file lives in packages/testing/src or dist). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../../..");

/** The two specs of the project by short name. */
export const specPaths = {
  cm: join(repoRoot, "specs/central-management.yaml"),
  cluster: join(repoRoot, "specs/cluster.yaml"),
} as const;

/** Short name of a spec: `cm` (Central Management) or `cluster`. */
export type SpecName = keyof typeof specPaths;

import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { rolldown } from "rolldown";

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Bundles one of this folder's process scripts into `packages/queue/.tmp/`
 * so that a plain `node` child can run it: the workspace packages come from
 * their TypeScript sources (as in the tests), npm packages stay external,
 * imported from where they are installed.
 */
export async function bundleProcess(script: string): Promise<string> {
  const bundle = await rolldown({
    input: join(here, script),
    platform: "node",
    resolve: { conditionNames: ["@mdkit/source", "node", "import", "default"] },
    external: (id, _importer, isResolved) =>
      isResolved ? id.includes("/node_modules/") : /^node:/.test(id),
    logLevel: "silent",
  });
  const file = resolve(here, "../../.tmp", script.replace(/\.ts$/, ".mjs"));
  await bundle.write({ file, format: "esm" });
  await bundle.close();
  return file;
}

/**
 * The consumer project of the smoke test: its package.json (the tarballs as
 * dependencies) and its type-checks, whose diagnostics are attributed to the
 * package they concern.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { portableEntries } from "./budgets.mjs";
import { run, twoAtATime } from "./run.mjs";
import { toReadmeLocations } from "./snippets.mjs";
import { catalogVersions } from "./workspace.mjs";

/** The oldest TypeScript the published declarations are checked with. */
export const OLDEST_TYPESCRIPT = "5.4.5";

/**
 * The consumer's package.json: every tarball as a dependency, and overrides so
 * that the packages' dependencies on each other resolve to the tarballs too,
 * never to the registry.
 *
 * @param {Record<string, string>} tarballs package name → tarball path.
 */
export function consumerManifest(tarballs) {
  const catalog = catalogVersions();
  return {
    name: "mdkit-consumer",
    private: true,
    type: "module",
    dependencies: Object.fromEntries(
      Object.entries(tarballs).map(([name, path]) => [name, `file:${path}`]),
    ),
    devDependencies: {
      "@stoplight/prism-cli": catalog["@stoplight/prism-cli"],
      "@types/node": catalog["@types/node"],
      typescript: catalog.typescript,
      "typescript-oldest": `npm:typescript@${OLDEST_TYPESCRIPT}`,
    },
    overrides: Object.fromEntries(Object.keys(tarballs).map((name) => [name, `$${name}`])),
  };
}

/**
 * @typedef {object} Setup
 * @property {string} kind `nodenext` and `bundler` (a Node project with the default
 *   libraries), `portable` (the portable entries without @types/node), `node-lib`
 *   (Node's types and no DOM library).
 * @property {string} tsconfig
 * @property {"typescript" | "typescript-oldest"} compiler the installed TypeScript to use.
 * @property {boolean} [emit] whether this run writes `dist/` (the program that is then run).
 */

/**
 * Every type-check of the consumer project; each tsconfig says which files it covers.
 * The oldest TypeScript runs the two setups that differ in what they read: Node's
 * resolution (the `node` condition's declarations) and the portable declarations.
 */
const SETUPS = /** @type {Setup[]} */ ([
  { kind: "nodenext", tsconfig: "tsconfig.nodenext.json", compiler: "typescript", emit: true },
  { kind: "bundler", tsconfig: "tsconfig.bundler.json", compiler: "typescript" },
  { kind: "portable", tsconfig: "tsconfig.portable.json", compiler: "typescript" },
  { kind: "node-lib", tsconfig: "tsconfig.node-lib.json", compiler: "typescript" },
  { kind: "nodenext", tsconfig: "tsconfig.oldest-nodenext.json", compiler: "typescript-oldest" },
  { kind: "portable", tsconfig: "tsconfig.portable.json", compiler: "typescript-oldest" },
]);

/**
 * Whether a setup type-checks a package: its `src/exports/<dir>.ts` is included and not
 * excluded; for the portable setup, whether the package has a portable entry.
 *
 * @param {{ include?: string[], exclude?: string[] }} tsconfig
 * @param {import("./workspace.mjs").PublicPackage} pkg
 * @param {Set<string>} portable names of the packages with a portable entry.
 */
function covers(tsconfig, pkg, portable) {
  if (!tsconfig.include?.includes("src/exports/*.ts")) return portable.has(pkg.name);
  return !tsconfig.exclude?.includes(`src/exports/${pkg.dir}.ts`);
}

/**
 * Type-checks the consumer project under every setup and attributes each
 * diagnostic to a package: `src/exports/<dir>.ts` and `node_modules/@mdkit/<dir>/`
 * belong to that package; anything else (the program, the README examples)
 * fails the setup as a whole.
 *
 * @param {string} project
 * @param {import("./workspace.mjs").PublicPackage[]} packages
 * @param {import("./snippets.mjs").Snippet[]} snippets
 * @returns {Promise<{ byPackage: Record<string, Record<string, boolean | null>>, errors: string }>}
 */
export async function typecheckConsumer(project, packages, snippets) {
  const versions = {
    typescript: catalogVersions().typescript?.split(".").slice(0, 2).join("."),
    "typescript-oldest": OLDEST_TYPESCRIPT.split(".").slice(0, 2).join("."),
  };
  const portable = new Set(
    (await portableEntries()).map((entry) => entry.split("/").slice(0, 2).join("/")),
  );
  /** @type {Record<string, Record<string, boolean | null>>} */
  const byPackage = Object.fromEntries(packages.map((pkg) => [pkg.name, {}]));
  const errors = [];
  await twoAtATime(SETUPS, async (setup) => {
    const tsc = join(project, "node_modules", setup.compiler, "bin", "tsc");
    const args = [tsc, "-p", setup.tsconfig, "--pretty", "false"];
    if (!setup.emit) args.push("--noEmit");
    const result = await run(process.execPath, args, { cwd: project, timeoutMs: 300_000 });
    const lines = `${result.stdout}${result.stderr}`.split("\n").filter((l) => l.trim());
    const key = `${setup.kind}@${versions[setup.compiler]}`;
    const tsconfig = JSON.parse(await readFile(join(project, setup.tsconfig), "utf8"));
    for (const pkg of packages) {
      const applies = covers(tsconfig, pkg, portable);
      const own = lines.filter(
        (line) =>
          line.startsWith(`src/exports/${pkg.dir}.ts(`) ||
          line.includes(`node_modules/@mdkit/${pkg.dir}/`),
      );
      byPackage[pkg.name][key] = applies ? own.length === 0 && result.code !== null : null;
    }
    if (result.code !== 0) {
      errors.push(`${key} (${setup.tsconfig}):\n${toReadmeLocations(lines.join("\n"), snippets)}`);
    }
  });
  return { byPackage, errors: errors.join("\n") };
}

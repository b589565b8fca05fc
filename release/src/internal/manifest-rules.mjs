/**
 * What every published package.json must say, checked in the workspace
 * (`check-manifests.mjs`) and again in each packed tarball (`smoke.mjs`).
 */

/** The repository every package is published from. */
export const REPOSITORY = "https://github.com/mdkit-dev/mdkit";

/** The documentation site every README links to. */
export const DOCS_URL = "https://mdkit-dev.github.io/mdkit/";

/** Node versions the packages run on: 22.0–22.11 cannot `require()` ESM-only packages. */
export const ENGINES_NODE = "^20.19 || >=22.12";

/**
 * Problems of one package manifest; empty when it is release-ready.
 *
 * @param {Record<string, any>} manifest the parsed package.json.
 * @param {string} dir the package's directory under `packages/`.
 * @param {{ packed?: boolean }} [options] `packed`: the manifest of a tarball, whose
 *   dependency ranges must be real ones (no `workspace:` or `catalog:` left).
 * @returns {string[]}
 */
export function manifestProblems(manifest, dir, options = {}) {
  const problems = [];
  const expect = (ok, message) => {
    if (!ok) problems.push(message);
  };
  expect(manifest.license === "MIT", `license is ${manifest.license}, expected "MIT"`);
  expect(manifest.type === "module", `type is ${manifest.type}, expected "module" (ESM only)`);
  expect(
    manifest.repository?.type === "git" &&
      manifest.repository?.url === `git+${REPOSITORY}.git` &&
      manifest.repository?.directory === `packages/${dir}`,
    `repository must be { type: "git", url: "git+${REPOSITORY}.git", directory: "packages/${dir}" }`,
  );
  expect(manifest.homepage === `${REPOSITORY}#readme`, `homepage must be ${REPOSITORY}#readme`);
  expect(manifest.bugs?.url === `${REPOSITORY}/issues`, `bugs.url must be ${REPOSITORY}/issues`);
  expect(
    Array.isArray(manifest.keywords) && manifest.keywords.length >= 3,
    "keywords: at least three",
  );
  expect(
    typeof manifest.description === "string" && manifest.description.length > 20,
    "description missing",
  );
  expect(
    manifest.engines?.node === ENGINES_NODE,
    `engines.node is ${manifest.engines?.node}, expected "${ENGINES_NODE}"`,
  );
  expect(manifest.publishConfig?.access === "public", 'publishConfig.access must be "public"');
  expect(
    manifest.main === undefined && manifest.module === undefined,
    "use exports, not main/module",
  );
  expect(
    manifest.exports?.["./package.json"] === "./package.json",
    'exports lacks "./package.json"',
  );
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    if (typeof target === "string") continue;
    for (const conditions of [target, target.node].filter(Boolean)) {
      const keys = Object.keys(conditions).filter(
        (key) => key !== "@mdkit/source" && key !== "node",
      );
      expect(
        keys[0] === "types" && keys.at(-1) === "default",
        `exports["${subpath}"]: "types" must come first and "default" last (found ${keys.join(", ")})`,
      );
    }
  }
  if (!options.packed) return problems;
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      expect(
        typeof range === "string" && !/^(workspace|catalog|file|link):/.test(range),
        `${field}.${name} is "${range}": a published range must not be a workspace/catalog/file link`,
      );
    }
  }
  return problems;
}

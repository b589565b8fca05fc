/**
 * Packs the published packages exactly as `pnpm publish` would (workspace and
 * catalog versions replaced by real ranges) and opens the tarballs for
 * inspection.
 */
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { runOrThrow } from "./run.mjs";
import { publicPackages, repoRoot } from "./workspace.mjs";

/** `npx -y pnpm@<version>`, the version pinned in the root `packageManager`. */
export async function pnpmCommand() {
  const root = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8"));
  return ["npx", ["-y", String(root.packageManager)]];
}

/**
 * Packs every published package of the workspace at `cwd` into `destination`.
 *
 * @param {string} destination directory for the tarballs (created).
 * @param {{ cwd?: string }} [options] workspace root to pack from (default: this repository).
 * @returns {Promise<Record<string, string>>} package name → tarball path.
 */
export async function packPublicPackages(destination, options = {}) {
  await mkdir(destination, { recursive: true });
  const packages = publicPackages();
  const [command, prefix] = await pnpmCommand();
  const filters = packages.flatMap((pkg) => ["--filter", pkg.name]);
  await runOrThrow(
    command,
    [...prefix, "-r", ...filters, "pack", "--pack-destination", destination],
    {
      cwd: options.cwd ?? repoRoot,
    },
  );
  /** @type {Record<string, string>} */
  const tarballs = {};
  for (const pkg of packages) {
    const version = options.cwd
      ? JSON.parse(await readFile(join(options.cwd, "packages", pkg.dir, "package.json"), "utf8"))
          .version
      : pkg.version;
    tarballs[pkg.name] = join(destination, `${pkg.name.slice(1).replace("/", "-")}-${version}.tgz`);
  }
  return tarballs;
}

/**
 * Extracts a tarball into a directory (npm tarballs hold one `package/` folder).
 *
 * @param {string} tarball
 * @param {string} into created when missing.
 * @returns {Promise<string>} the extracted `package/` directory.
 */
export async function extractTarball(tarball, into) {
  await mkdir(into, { recursive: true });
  await runOrThrow("tar", ["-xzf", tarball, "-C", into]);
  return join(into, "package");
}

/**
 * The runtimes the packages are proven on: this Node (20 in CI), Node 24 and
 * Bun, the last two fetched from the npm registry through `npx`.
 */
import { runOrThrow } from "./run.mjs";

/**
 * @typedef {object} Runtime
 * @property {string} key short name for reports, e.g. `node20`, `node24`, `bun`.
 * @property {string} label e.g. `Node 24.21.0`.
 * @property {string} command absolute path of the executable.
 */

/**
 * Finds the executable of a runtime installed by `npx -p <spec>`.
 *
 * @param {string} spec npm package spec, e.g. `node@24`.
 * @param {string} printPath a shell command printing the runtime's executable.
 */
async function fromNpx(spec, printPath) {
  const { stdout } = await runOrThrow("npx", ["-y", "-p", spec, "-c", printPath], {
    timeoutMs: 300_000,
  });
  return stdout.trim().split("\n").at(-1) ?? "";
}

/**
 * @param {{ withBun: boolean }} options
 * @returns {Promise<Runtime[]>}
 */
export async function resolveRuntimes(options) {
  const major = process.versions.node.split(".")[0];
  /** @type {Runtime[]} */
  const runtimes = [
    { key: `node${major}`, label: `Node ${process.versions.node}`, command: process.execPath },
  ];
  if (major !== "24") {
    const command = await fromNpx("node@24", 'node -p "process.execPath"');
    const { stdout } = await runOrThrow(command, ["--version"]);
    runtimes.push({ key: "node24", label: `Node ${stdout.trim().slice(1)}`, command });
  }
  if (options.withBun) {
    const command = await fromNpx("bun@1", 'bun -p "process.execPath"');
    const { stdout } = await runOrThrow(command, ["--version"]);
    runtimes.push({ key: "bun", label: `Bun ${stdout.trim()}`, command });
  }
  return runtimes;
}

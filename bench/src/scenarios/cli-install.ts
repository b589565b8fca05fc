import { mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { REPO_ROOT, runShell } from "../cli.js";
import type { BenchContext, Scenario } from "../harness.js";

/** The packages `@mdkit/cli` is installed from, as packed tarballs. */
const PACKAGES = [
  "core",
  "cluster",
  "central-management",
  "auth",
  "scan",
  "direct-connection",
  "cli",
];

/** Packages that mean a server (or the simulator's certificate code) came along. */
const SERVER_PACKAGES = [
  "@mdkit/simulator",
  "hono",
  "@hono/node-server",
  "express",
  "fastify",
  "koa",
  "@peculiar/x509",
  "reflect-metadata",
];

/** Every package name under a `node_modules` folder, nested ones included. */
async function installedPackages(nodeModules: string): Promise<string[]> {
  const names: string[] = [];
  const entries = await readdir(nodeModules, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    const scoped = entry.name.startsWith("@");
    const dirs = scoped
      ? (await readdir(join(nodeModules, entry.name))).map((n) => `${entry.name}/${n}`)
      : [entry.name];
    for (const name of dirs) {
      names.push(name);
      names.push(...(await installedPackages(join(nodeModules, name, "node_modules"))));
    }
  }
  return names;
}

/**
 * Installs `@mdkit/cli` with npm from the packed tarballs of this repository
 * (the third-party packages from the registry) into an empty folder: no
 * server framework and no simulator may come along (the simulator is an
 * optional peer, loaded by `mdkit simulator` alone), and `mdkit simulator`
 * then says how to get it.
 */
export const cliInstallScenario: Scenario = {
  name: "cli-install",
  async run({ workDir }: BenchContext) {
    const tarballs = join(workDir, "tarballs");
    const project = join(workDir, "install");
    await mkdir(tarballs, { recursive: true });
    await mkdir(project, { recursive: true });
    for (const name of PACKAGES) {
      const packed = await runShell(
        `npx -y pnpm@10.34.8 pack --pack-destination ${JSON.stringify(tarballs)}`,
        {},
        join(REPO_ROOT, "packages", name),
      );
      if (packed.code !== 0) throw new Error(`pnpm pack of ${name} failed: ${packed.stderr}`);
    }
    const files = (await readdir(tarballs)).filter((f) => f.endsWith(".tgz"));
    await runShell(
      'printf \'{"name":"mdkit-install-check","private":true}\\n\' > package.json',
      {},
      project,
    );
    const install = await runShell(
      `npm install --no-audit --no-fund --ignore-scripts --loglevel=error ${files.map((f) => JSON.stringify(join(tarballs, f))).join(" ")}`,
      {},
      project,
    );
    if (install.code !== 0) throw new Error(`npm install failed: ${install.stderr}`);
    const installed = [...new Set(await installedPackages(join(project, "node_modules")))];
    const servers = installed.filter((name) => SERVER_PACKAGES.includes(name));
    const bin = join(project, "node_modules/.bin/mdkit");
    const version = await runShell(`${JSON.stringify(bin)} --version`);
    const simulator = await runShell(`${JSON.stringify(bin)} simulator --port 0`);
    const explains =
      simulator.code === 2 && /npm install -g @mdkit\/simulator/.test(simulator.stderr) ? 1 : 0;
    const manifest = JSON.parse(
      await readFile(join(project, "node_modules/@mdkit/cli/package.json"), "utf8"),
    ) as { version: string };
    return {
      scenario: "cli-install",
      figures: [
        {
          name: "server or simulator packages installed",
          value: servers.length,
          unit: "",
          target: 0,
          better: "<=",
          gate: true,
        },
        {
          name: "mdkit simulator without it says how to get it",
          value: explains,
          unit: "",
          target: 1,
          better: ">=",
          gate: true,
        },
        {
          name: "mdkit --version works when installed",
          value: version.stdout.trim() === manifest.version ? 1 : 0,
          unit: "",
          target: 1,
          better: ">=",
          gate: true,
        },
      ],
      notes: [
        `${installed.length} packages installed: ${installed.sort().join(", ")}${servers.length ? `; servers: ${servers.join(", ")}` : ""}`,
      ],
    };
  },
};

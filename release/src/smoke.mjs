#!/usr/bin/env node
/**
 * The consumer smoke test: what a user gets from the registry, proven from the
 * packed tarballs. Packs every published package, inspects each tarball,
 * installs them with npm into a fresh project outside the workspace,
 * type-checks a realistic program, every package's exports and every README
 * example (TypeScript 5.9 and 5.4; `nodenext`, `bundler`, and the portable
 * entries with `types: []`; `strict`, `exactOptionalPropertyTypes`,
 * `skipLibCheck: false`), imports every entry and runs the program on Node 20,
 * Node 24 and Bun against the simulator, runs the README examples marked
 * `runnable` (the Prism contract-test recipe among them) and the installed
 * `mdkit` and `mdkit-simulator` bins.
 *
 * Usage: node release/src/smoke.mjs [--keep] [--no-bun]   (after `pnpm build`)
 * Writes .tmp/release/smoke.json (read by report.mjs).
 */
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli, startSimulatorBin } from "./internal/consumer-cli.mjs";
import { consumerManifest, typecheckConsumer } from "./internal/consumer-project.mjs";
import { extractTarball, packPublicPackages } from "./internal/pack.mjs";
import { run, runOrThrow, seconds } from "./internal/run.mjs";
import { resolveRuntimes } from "./internal/runtimes.mjs";
import { extractSnippets, writeSnippets } from "./internal/snippets.mjs";
import { tarballProblems } from "./internal/tarball-checks.mjs";
import { publicPackages, repoRoot, reportDir } from "./internal/workspace.mjs";

const keep = process.argv.includes("--keep");
const withBun = !process.argv.includes("--no-bun");
const packages = publicPackages();
/** @type {{ step: string, ms: number, ok: boolean, detail?: string }[]} */
const steps = [];
/** @type {string[]} */
const failures = [];
/** Per package: tarball problems, ESM import per runtime, types per setup. */
const results = Object.fromEntries(
  packages.map((pkg) => [
    pkg.name,
    { tarball: /** @type {string[]} */ ([]), esm: {}, types: {}, version: pkg.version },
  ]),
);

/**
 * Runs one named step, timing it; a thrown error fails the step (and the run) but not the next steps.
 *
 * @template T
 * @param {string} name
 * @param {() => Promise<T>} body
 * @returns {Promise<T | undefined>}
 */
async function step(name, body) {
  const started = performance.now();
  try {
    const value = await body();
    steps.push({ step: name, ms: performance.now() - started, ok: true });
    console.log(`ok   ${name} (${seconds(performance.now() - started)})`);
    return value;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    steps.push({ step: name, ms: performance.now() - started, ok: false, detail });
    failures.push(`${name}: ${detail}`);
    console.log(`FAIL ${name} (${seconds(performance.now() - started)})\n${detail}`);
    return undefined;
  }
}

const work = await mkdtemp(join(tmpdir(), "mdkit-consumer-"));
const project = join(work, "project");
const started = performance.now();
try {
  const tarballs = await step("pack the published packages (pnpm pack)", () =>
    packPublicPackages(join(work, "tarballs")),
  );
  if (!tarballs) throw new Error("packing failed");

  await step("inspect the tarballs (LICENSE, README, manifest, exports, specs)", async () => {
    const problems = [];
    for (const pkg of packages) {
      const root = await extractTarball(tarballs[pkg.name], join(work, "extracted", pkg.dir));
      const found = await tarballProblems(pkg, root);
      results[pkg.name].tarball = found;
      problems.push(...found.map((problem) => `${pkg.name}: ${problem}`));
    }
    if (problems.length) throw new Error(problems.join("\n"));
  });

  const snippets = await extractSnippets();
  await step("create the consumer project outside the workspace", async () => {
    await cp(join(repoRoot, "release", "consumer"), project, { recursive: true });
    await writeSnippets(snippets, join(project, "src", "snippets"));
    const manifest = consumerManifest(tarballs);
    await writeFile(join(project, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    const exportsFiles = await readdir(join(project, "src", "exports"));
    const missing = packages.filter((pkg) => !exportsFiles.includes(`${pkg.dir}.ts`));
    if (missing.length) {
      throw new Error(
        `release/consumer/src/exports/ has no file for ${missing.map((p) => p.name).join(", ")}: ` +
          "add one that imports every entry of the package",
      );
    }
  });

  await step("npm install the tarballs", () =>
    runOrThrow("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd: project,
    }),
  );

  await step("type-check (TypeScript 5.9 and 5.4: nodenext, bundler, portable)", async () => {
    const outcome = await typecheckConsumer(project, packages, snippets);
    for (const [name, types] of Object.entries(outcome.byPackage)) results[name].types = types;
    if (outcome.errors) throw new Error(outcome.errors);
  });

  const runtimes = await step("resolve the runtimes (Node 24 and Bun through npx)", () =>
    resolveRuntimes({ withBun }),
  );

  for (const runtime of runtimes ?? []) {
    await step(`import and require every entry on ${runtime.label}`, async () => {
      const { stdout } = await runOrThrow(runtime.command, ["imports.mjs"], { cwd: project });
      const imported = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");
      const problems = [];
      for (const pkg of packages) {
        let ok = true;
        for (const entry of pkg.codeEntries) {
          for (const [how, exported] of Object.entries(imported[entry] ?? { import: "missing" })) {
            if (typeof exported === "number" && exported > 0) continue;
            ok = false;
            problems.push(`${how} ${entry}: ${exported}`);
          }
        }
        results[pkg.name].esm[runtime.key] = ok;
      }
      if (problems.length) throw new Error(problems.join("\n"));
    });
    await step(`run the program against the simulator on ${runtime.label}`, async () => {
      const { stdout } = await runOrThrow(runtime.command, ["dist/program.js"], {
        cwd: project,
        timeoutMs: 120_000,
      });
      const checks = stdout
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line));
      if (checks.length < 10 || checks.some((check) => !check.ok)) {
        throw new Error(stdout);
      }
    });
  }

  await step(
    "run the README examples marked runnable (simulator from the installed bin)",
    async () => {
      const simulator = await startSimulatorBin(project);
      try {
        const problems = [];
        for (const snippet of snippets.filter((s) => s.runnable)) {
          const file = join("dist", "snippets", snippet.file.replace(/\.ts$/, ".js"));
          const result = await run(process.execPath, [file], {
            cwd: project,
            env: { ...process.env, ...simulator.env },
            timeoutMs: 120_000,
          });
          if (result.code !== 0) {
            problems.push(
              `${snippet.readme}:${snippet.line} exited with ${result.code}\n${result.stdout}${result.stderr}`,
            );
          }
        }
        if (problems.length) throw new Error(problems.join("\n"));
      } finally {
        await simulator.close();
      }
    },
  );

  await step("run the installed mdkit CLI against the installed mdkit-simulator", () =>
    runCli(project, runtimes ?? []),
  );
} catch (error) {
  failures.push(error instanceof Error ? error.message : String(error));
} finally {
  if (keep) console.log(`consumer project kept in ${project}`);
  else await rm(work, { recursive: true, force: true });
}

await mkdir(reportDir, { recursive: true });
await writeFile(
  join(reportDir, "smoke.json"),
  `${JSON.stringify({ steps, results, failures, ms: performance.now() - started }, null, 2)}\n`,
);
console.log(
  `consumer smoke test: ${steps.filter((s) => s.ok).length} steps ok, ${failures.length} failed, ` +
    `in ${seconds(performance.now() - started)}`,
);
if (failures.length) process.exitCode = 1;

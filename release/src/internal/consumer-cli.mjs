/**
 * The installed bins of the consumer project: `mdkit-simulator` started as a
 * user would start it, and `mdkit` driven against it on every runtime.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readFile, realpath, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { EICAR_TEST_STRING } from "@mdkit/simulator";
import { run } from "./run.mjs";

/** The environment of this process without any `MDKIT_*` variable (they would take precedence). */
function cleanEnv() {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("MDKIT_")),
  );
}

/**
 * Starts the installed `mdkit-simulator` bin on a free loopback port.
 *
 * @param {string} project the consumer project.
 * @returns {Promise<{ env: Record<string, string>, close(): Promise<void> }>} the
 *   `MDKIT_*` variables that point `@mdkit/auth`'s `*FromEnv` helpers and the CLI at it
 *   (`MDKIT_CORE_APIKEY`: a session of the gateway, which also plays the direct connections' Core).
 */
export async function startSimulatorBin(project) {
  const bin = join(project, "node_modules", ".bin", "mdkit-simulator");
  const child = spawn(bin, ["--port", "0", "--json"], {
    cwd: project,
    stdio: ["ignore", "pipe", "pipe"],
    env: cleanEnv(),
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  let output = "";
  const info = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`mdkit-simulator did not start:\n${output}`)),
      30_000,
    );
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const line = output.split("\n").find((l) => l.startsWith("{"));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line));
      }
    });
    child.once("exit", (code) =>
      reject(new Error(`mdkit-simulator exited with ${code}:\n${output}`)),
    );
  });
  // The Core reached through a direct connection is the simulated gateway: a session
  // of it serves as the Core API key (MDKIT_CORE_APIKEY, as the CLI reads it).
  const login = await fetch(`${info.cluster.url}/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user: info.cluster.user, password: info.cluster.password }),
  });
  const { session_id: coreApiKey } = await login.json();
  return {
    env: {
      ...cleanEnv(),
      MDKIT_CORE_APIKEY: coreApiKey,
      MDKIT_CLUSTER_URL: info.cluster.url,
      MDKIT_CLUSTER_USER: info.cluster.user,
      MDKIT_CLUSTER_PASSWORD: info.cluster.password,
      MDKIT_CM_URL: info.cm.url,
      MDKIT_CM_CLIENT_ID: info.cm.clientId,
      MDKIT_CM_CLIENT_SECRET: info.cm.clientSecret,
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * Runs the installed `mdkit` on every runtime against the installed simulator:
 * version, rules, a scan of a clean and an infected file (exit code 1, rows in
 * JSON Lines), a hash lookup and a Central Management listing.
 *
 * @param {string} project
 * @param {import("./runtimes.mjs").Runtime[]} runtimes
 */
export async function runCli(project, runtimes) {
  const simulator = await startSimulatorBin(project);
  const problems = [];
  try {
    const files = join(project, "cli-files");
    await mkdir(files, { recursive: true });
    const cleanText = "nothing to see here\n";
    await writeFile(join(files, "clean.txt"), cleanText);
    await writeFile(join(files, "eicar.com"), EICAR_TEST_STRING);
    const sha256 = createHash("sha256").update(cleanText).digest("hex");
    const manifest = JSON.parse(
      await readFile(join(project, "node_modules", "@mdkit", "cli", "package.json"), "utf8"),
    );
    const bin = await realpath(join(project, "node_modules", ".bin", "mdkit"));
    /** @type {[string, string[], number, (stdout: string) => boolean][]} */
    const commands = [
      ["--version", ["--version"], 0, (out) => out.trim() === manifest.version],
      ["rules", ["rules", "--format", "json"], 0, (out) => JSON.parse(out).length > 0],
      [
        "scan",
        ["scan", files, "--format", "jsonl"],
        1,
        (out) => {
          const rows = out
            .trim()
            .split("\n")
            .map((line) => JSON.parse(line));
          const verdicts = Object.fromEntries(rows.map((row) => [row.name, row.verdict]));
          return verdicts["clean.txt"] === "clean" && verdicts["eicar.com"] === "infected";
        },
      ],
      [
        "hash",
        ["hash", sha256, "--format", "json"],
        0,
        (out) => JSON.parse(out)[0]?.status === "found",
      ],
      [
        "cm kiosks",
        ["cm", "kiosks", "--format", "json"],
        0,
        (out) => Array.isArray(JSON.parse(out)),
      ],
    ];
    // Through the bin link (its `#!/usr/bin/env node` line) first, then on every runtime.
    const invocations = [
      { label: "bin link", command: join(project, "node_modules", ".bin", "mdkit"), prefix: [] },
      ...runtimes.map((r) => ({ label: r.label, command: r.command, prefix: [bin] })),
    ];
    for (const invocation of invocations) {
      for (const [name, args, expectedCode, check] of commands) {
        const result = await run(invocation.command, [...invocation.prefix, ...args], {
          cwd: project,
          env: simulator.env,
          timeoutMs: 60_000,
        });
        let ok = result.code === expectedCode;
        try {
          ok &&= check(result.stdout);
        } catch {
          ok = false;
        }
        if (!ok) {
          problems.push(
            `mdkit ${name} on ${invocation.label}: exit ${result.code} (expected ${expectedCode})\n${result.stdout}${result.stderr}`,
          );
        }
      }
    }
  } finally {
    await simulator.close();
  }
  if (problems.length) throw new Error(problems.join("\n"));
}

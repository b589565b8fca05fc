/**
 * The shell commands of "Getting started" are the ones the CLI accepts: its
 * `sh` blocks run in bash, in order, in an empty folder, with `mdkit` being
 * the built CLI. Two things differ from a reader's terminal, and only these:
 * `npm install -g` is checked (the package it names is the CLI, whose command
 * is `mdkit`) rather than run, and the simulator listens on a free port
 * instead of 8899 (the port is replaced in the commands), so the test never
 * collides with a simulator already running.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { describe, expect, it } from "vitest";
import { publishedPackages } from "../scripts/packages.mjs";
import { repoRoot } from "../scripts/site.mjs";
import { codeBlocks, requireBuiltSite } from "./site-helpers.js";

const cliDir = join(repoRoot, "packages", "cli");
const cli = JSON.parse(readFileSync(join(cliDir, "package.json"), "utf8")) as {
  name: string;
  bin: Record<string, string>;
};

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("Getting started", () => {
  it("runs its commands, in order, as the CLI accepts them", async () => {
    requireBuiltSite();
    const blocks = (await codeBlocks((guide) => guide.slug === "getting-started")).filter(
      (block) => block.lang === "sh",
    );
    const lines = blocks
      .flatMap((block) => block.code.split("\n"))
      .filter((line) => line.trim() && !line.trim().startsWith("#"));

    // The CLI is installed globally, and gives the `mdkit` command; other installs name published packages.
    const installs = lines.filter((line) => line.startsWith("npm install"));
    expect(installs).toContain(`npm install -g ${cli.name}`);
    expect(Object.keys(cli.bin)).toContain("mdkit");
    const published = new Set(publishedPackages().map((pkg) => pkg.name));
    for (const name of installs.flatMap((line) =>
      line.split(/\s+/).filter((word) => word.startsWith("@")),
    )) {
      expect(published, `${name}, installed by the guide`).toContain(name);
    }

    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), "mdkit-getting-started-"));
    // `mdkit` on PATH, as a global install makes it: the built CLI.
    mkdirSync(join(dir, "bin"));
    writeFileSync(
      join(dir, "bin", "mdkit"),
      `#!/bin/sh\nexec "${process.execPath}" "${join(cliDir, cli.bin.mdkit ?? "")}" "$@"\n`,
      { mode: 0o755 },
    );
    mkdirSync(join(dir, "work"));
    const script = [
      "set -u",
      // Stop the background simulator however the script ends.
      "trap 'kill $(jobs -p) 2>/dev/null; wait' EXIT",
    ];
    let simulators = 0;
    for (const line of lines.filter((candidate) => !candidate.startsWith("npm install"))) {
      let command = line.replaceAll("8899", String(port));
      if (/^mdkit simulator\b/.test(command)) {
        simulators++;
        command = command.replace(/^mdkit simulator/, `mdkit simulator --port ${port}`);
      }
      script.push(`echo "::: ${line.replace(/["\\$`]/g, "\\$&")}"`, command);
      if (command.trim().endsWith("&")) {
        // A reader types the next command a moment later; the script waits until the port answers.
        script.push(`until (exec 3<>/dev/tcp/127.0.0.1/${port}) 2>/dev/null; do sleep 0.1; done`);
      } else {
        script.push('echo "::: status $?"');
      }
    }
    expect(simulators, "the guide starts the simulator").toBe(1);

    try {
      writeFileSync(join(dir, "steps.sh"), `${script.join("\n")}\n`);
      const run = await bash(join(dir, "steps.sh"), join(dir, "work"), join(dir, "bin"));
      expect(run.code, run.output).toBe(0);
      const statuses = [...run.output.matchAll(/^::: status (\d+)$/gm)].map((match) =>
        Number(match[1]),
      );
      // 0: every file clean, 1: a verdict is not clean; never 2 (a usage error or a failure).
      expect(statuses.length, run.output).toBeGreaterThan(2);
      expect(
        statuses.filter((status) => status > 1),
        run.output,
      ).toEqual([]);
      // The walk shows both verdicts a reader is told to expect.
      expect(run.output).toMatch(/\bclean\b/);
      expect(run.output).toMatch(/\binfected\b/);
      // What `mdkit simulator` printed for the reader to export is what the guide exports.
      const printed = new Set(
        [...run.output.matchAll(/^\s*(export MDKIT_.*)$/gm)].map((match) => match[1]),
      );
      const exported = lines.filter((line) => line.startsWith("export "));
      expect(exported.length).toBeGreaterThan(0);
      for (const line of exported) {
        expect([...printed], run.output).toContain(line.replaceAll("8899", String(port)));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

/**
 * Runs a bash script in its own process group and resolves with its exit
 * code and output; whatever it left running (a background simulator) is
 * stopped with the group, even when the script is cut short.
 */
function bash(file: string, cwd: string, binDir: string) {
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn("bash", [file], {
      cwd,
      env: { PATH: `${binDir}${delimiter}${process.env.PATH ?? "/usr/bin:/bin"}`, HOME: cwd },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const stopGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGTERM");
      } catch {
        // The group is gone already.
      }
    };
    const timer = setTimeout(stopGroup, 50_000);
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.once("error", reject);
    child.once("exit", () => stopGroup());
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

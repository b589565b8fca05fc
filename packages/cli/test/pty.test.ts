import { spawn, spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, built, spawnBin } from "./bin-helpers.js";
import { NO_CONFIG, startServer, type TestServer, tempFiles, unique } from "./helpers.js";

/** The escape character that starts terminal control sequences. */
const ESC = "\u001b";

/** util-linux `script` runs a command in a pseudo-terminal. */
const hasScript = spawnSync("script", ["--version"]).status === 0;
if (!hasScript)
  console.warn("[@mdkit/cli] skipping the pseudo-terminal test: util-linux script is missing");

/** Runs the built `mdkit` in a pseudo-terminal (stdin, stdout and stderr all terminals). */
function inTerminal(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; output: string }> {
  const quote = (word: string) => `'${word.replace(/'/g, "'\\''")}'`;
  const command = `stty cols 120 rows 40; ${[process.execPath, BIN, ...args].map(quote).join(" ")}`;
  // Not spawnSync: the simulator answering the scan runs in this process.
  const child = spawn("script", ["-qefc", command, "/dev/null"], {
    env: { PATH: process.env.PATH, TERM: "xterm", MDKIT_CONFIG_DIR: NO_CONFIG, ...env },
    stdio: ["pipe", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk;
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, output })));
}

describe.skipIf(!built || !hasScript)("progress in a terminal", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ cluster: { scanDurationMs: 600 } });
  });
  afterAll(() => server.sim.close());

  it("draws the total, percentage, bytes and ETA on a terminal, and nothing when piped", async () => {
    await using dir = await tempFiles(
      Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}.txt`, unique(`f${i}`)])),
    );
    const args = ["scan", dir.path, "--concurrency", "2", "--no-hash-first"];
    const tty = await inTerminal(args, server.env);
    expect(tty.code).toBe(0);
    expect(tty.output).toMatch(
      /\d\/6 files \d+% · 0 flagged · \d+ B\/\d+ B · [\d.]+ k?B\/s · ETA \d+ s/,
    );
    expect(tty.output).toMatch(/6\/6 files 100%/);
    expect(tty.output).toMatch(/VERDICT/);
    expect(tty.output).toMatch(/6 files: 6 clean, 0 infected, 0 failed, 0 not scanned/);

    const piped = await spawnBin(args, server.env).done;
    expect(piped.code).toBe(0);
    expect(piped.stderr).not.toMatch(/files \d+%|ETA/);
    expect(piped.stderr).not.toContain(ESC);
    expect(piped.stderr).toMatch(
      /^6 files: 6 clean, 0 infected, 0 failed, 0 not scanned; [\d.]+ s\n$/,
    );
  });

  it("colours verdicts on a terminal, unless NO_COLOR", async () => {
    await using dir = await tempFiles({ "a.txt": unique("a") });
    const coloured = await inTerminal(["scan", dir.path], server.env);
    expect(coloured.output).toContain(`${ESC}[32mclean`);
    const plain = await inTerminal(["scan", dir.path], { ...server.env, NO_COLOR: "1" });
    expect(plain.output).not.toMatch(new RegExp(`${ESC}\\[3\\dm`));
    expect(plain.output).toMatch(/clean/);
  });
});

import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EICAR, startServer, type TestServer, tempFiles } from "./helpers.js";

const BIN = resolve(import.meta.dirname, "../dist/bin.js");
const built = existsSync(BIN);
if (!built) {
  console.warn(
    `[@mdkit/cli] skipping the built-bin tests: ${BIN} is missing (run "pnpm build" first; "pnpm test" builds before testing)`,
  );
}

/** Runs the built `mdkit` as a child process. */
function spawnBin(args: string[], env: Record<string, string | undefined> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((ok) => {
    child.on("close", (code) => ok({ code, stdout, stderr }));
  });
  return { child, done, stdout: () => stdout };
}

describe.skipIf(!built)("the built mdkit bin", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.sim.close());

  it("has a node shebang and is the package's bin", () => {
    expect(readFileSync(BIN, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    const manifest = JSON.parse(readFileSync(join(import.meta.dirname, "../package.json"), "utf8"));
    expect(manifest.bin).toEqual({ mdkit: "./dist/bin.js" });
  });

  it("prints its help and exits 0", async () => {
    const { code, stdout } = await spawnBin(["--help"]).done;
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: mdkit/);
  });

  it("exits with the scan's code (1 for EICAR) after printing every row", async () => {
    await using dir = await tempFiles({ "eicar.com": EICAR });
    const { code, stdout } = await spawnBin(["scan", dir.file("eicar.com")], server.env).done;
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ verdict: "infected" });
  });

  it("exits 141 when its reader closes stdout early (| head)", async () => {
    const reports = spawnBin(["cm", "reports", "core"], server.env);
    await expect.poll(reports.stdout, { timeout: 10_000 }).toMatch(/\n/);
    reports.child.stdout.destroy();
    expect((await reports.done).code).toBe(141);
  });

  it("runs the simulator until SIGTERM, then exits 0", async () => {
    const sim = spawnBin(["simulator", "--port", "0", "--json"]);
    await expect.poll(sim.stdout, { timeout: 10_000 }).toMatch(/\n$/);
    expect(JSON.parse(sim.stdout()).cluster.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    sim.child.kill("SIGTERM");
    expect((await sim.done).code).toBe(0);
  });
});

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, built, spawnBin } from "./bin-helpers.js";
import { EICAR, startServer, type TestServer, tempFiles } from "./helpers.js";

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
    reports.child.stdout?.destroy();
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

/**
 * The file tree changes between mdkit's look at a path (`stat`) and the read
 * of its bytes (`fixtures/race-hook.mjs` strikes at the first `open`): a small
 * file grows to 1 GiB, a symbolic link is re-pointed at a FIFO nobody writes
 * to, at `/dev/zero` or at EICAR, a large file's link at a FIFO. The library
 * (in a child process) and the built CLI end with a typed error naming the
 * path — never a hang, never a verdict about other bytes — and their peak
 * RSS stays under 256 MB.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { EICAR_TEST_STRING } from "@mdkit/simulator";
import { builtCliAvailable, hostileCase, runBuiltCli } from "@mdkit/testing/hostile";
import { describe, expect, it } from "vitest";
import { folder, lyingGateway, reportCliRun, rowsOf } from "../evidence-setup.js";
import { scanInChild } from "../transport-setup.js";

const cli = builtCliAvailable("hostile file races");
const RSS_LIMIT_MB = 256;
const GIB = 1024 * 1024 * 1024;
const HOOK = pathToFileURL(join(import.meta.dirname, "../fixtures/race-hook.mjs")).href;
const honest = () => undefined;

/** What the attacker does to the scanned path between the look and the read. */
interface Attack {
  name: string;
  /** The file looked at (clean), as its content. */
  content: string | Uint8Array;
  /** How the path changes: `grow` to a size, or `repoint` (the path is a link) at a target. */
  strike: { grow: number } | { repoint: (dir: string) => string };
  /** The text the typed error carries. */
  says: RegExp;
  /** Whether the new target is infected (a verdict of clean would be a false clean). */
  infected?: boolean;
}

const fifoIn = (dir: string) => {
  const path = join(dir, "pipe");
  execFileSync("mkfifo", [path]);
  return path;
};

const attacks: Attack[] = [
  {
    name: "a small file that grows to 1 GiB (sparse)",
    content: "ten bytes!",
    strike: { grow: GIB },
    says: /changed while it was being read \(it holds more than the 10 bytes it had\)/,
  },
  {
    name: "a small file's link re-pointed at a FIFO nobody writes to",
    content: "ten bytes!",
    strike: { repoint: fifoIn },
    says: /changed while it was being read \(it is no longer a regular file\)/,
  },
  {
    name: "a small file's link re-pointed at /dev/zero",
    content: "ten bytes!",
    strike: { repoint: () => "/dev/zero" },
    says: /changed while it was being read \(it is no longer a regular file\)/,
  },
  {
    name: "a clean file's link re-pointed at EICAR",
    content: "c".repeat(EICAR_TEST_STRING.length),
    strike: {
      repoint: (dir) => {
        const path = join(dir, "eicar.com");
        writeFileSync(path, EICAR_TEST_STRING);
        return path;
      },
    },
    says: /changed while it was being read \(another file took its place\)/,
    infected: true,
  },
  {
    name: "a 200 KiB file's link re-pointed at a FIFO",
    content: randomBytes(200 * 1024),
    strike: { repoint: fifoIn },
    says: /changed while it was being read \(it is no longer a regular file\)/,
  },
];

/**
 * A fresh folder holding the attacked path (a link when the attack re-points
 * it), with the environment that arms the hook; removed on dispose.
 */
async function stage(attack: Attack) {
  const dir = await folder({});
  const file = dir.file("looked-at.bin");
  await writeFile(file, attack.content);
  let spec: { path: string; grow?: number; repoint?: string } = { path: file };
  if ("repoint" in attack.strike) {
    const link = dir.file("link.bin");
    await symlink(file, link);
    spec = { path: link, repoint: attack.strike.repoint(dir.path) };
  } else spec.grow = attack.strike.grow;
  return {
    path: spec.path,
    env: { NODE_OPTIONS: `--import ${HOOK}`, MDKIT_HOSTILE_RACE: JSON.stringify(spec) },
    [Symbol.asyncDispose]: () => dir[Symbol.asyncDispose](),
  };
}

describe.skipIf(!cli)("the file tree changes between the look and the read", () => {
  for (const attack of attacks) {
    it(`library (child process) and CLI: ${attack.name}`, { timeout: 90_000 }, async () => {
      await hostileCase(`evidence: ${attack.name}`, { deadlineMs: 20_000 }, async (probe) => {
        await using gateway = await lyingGateway(honest);
        {
          await using staged = await stage(attack);
          const { path, env } = staged;
          const outcome = await scanInChild(probe, gateway.gateway, 10_000, { path, env });
          probe.peakRss(outcome.peakRssMb);
          if (attack.infected) probe.infected(outcome.verdict === "clean");
          expect(outcome).toMatchObject({ error: "InvalidInputError" });
          expect(outcome.message).toContain(path);
          expect(outcome.message).toMatch(attack.says);
          expect(outcome.peakRssMb).toBeLessThan(RSS_LIMIT_MB);
        }
        await using staged = await stage(attack);
        const { path, env } = staged;
        const run = await runBuiltCli(["scan", "--format", "jsonl", path], {
          env: { ...gateway.env, ...env },
        });
        reportCliRun(probe, run, attack.infected ? ["link.bin"] : []);
        if (run.peakRssMb !== undefined) probe.peakRss(run.peakRssMb);
        expect(run.killed).toBe(false);
        expect(run.code).toBe(2);
        expect(rowsOf(run)).toMatchObject([{ verdict: "error" }]);
        expect(`${run.stdout}${run.stderr}`).toMatch(attack.says);
        expect(run.peakRssMb ?? 0).toBeLessThan(RSS_LIMIT_MB);
        expect(gateway.sim.state.requestCount("analyzeFile")).toBe(0);
      });
    });
  }

  it("library (child process): a 200 KiB file's link re-pointed at a FIFO, uploaded without hashing first", {
    timeout: 90_000,
  }, async () => {
    await hostileCase(
      "evidence: a large file's link re-pointed at a FIFO (no hash first)",
      { deadlineMs: 20_000 },
      async (probe) => {
        await using gateway = await lyingGateway(honest);
        await using staged = await stage(attacks.at(-1) as Attack);
        const { path, env } = staged;
        const outcome = await scanInChild(probe, gateway.gateway, 10_000, {
          path,
          env,
          hashFirst: false,
        });
        probe.peakRss(outcome.peakRssMb);
        // The body fails as it starts: the input's own typed error naming the path, never a
        // verdict, never a retried "network" failure, long before the deadline.
        expect(outcome.verdict).toBeUndefined();
        expect(outcome).toMatchObject({ error: "FileChangedError" });
        expect(outcome.message).toContain(path);
        expect(outcome.message).toMatch(
          /changed while it was being read: it is no longer a regular file/,
        );
        expect(gateway.sim.state.requestCount("analyzeFile")).toBeLessThanOrEqual(1);
        expect(outcome.peakRssMb).toBeLessThan(RSS_LIMIT_MB);
      },
    );
  });
});

/**
 * The file tree attacks: a scanned clean file swapped for EICAR with the same
 * size and mtime before a journal rerun; a file named `--url=http:<attacker>`
 * that a shell glob turns into an option; a symbolic link and a FIFO that a
 * folder scan would skip in silence; a journal path that is a FIFO or a link
 * to `/dev/zero`. None of them ends in a false "clean" or a hang (library and
 * built CLI), and the apikey never reaches the attacker.
 */
import { execFileSync } from "node:child_process";
import { readdir, stat, symlink, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ScanJournal, scanDirectory, scanFiles } from "@mdkit/scan/node";
import { EICAR_TEST_STRING } from "@mdkit/simulator";
import {
  builtCliAvailable,
  hostileCase,
  runBuiltCli,
  startHostileServer,
} from "@mdkit/testing/hostile";
import { describe, expect, it } from "vitest";
import { folder, lyingGateway, reportCliRun, rowsOf } from "../evidence-setup.js";

const cli = builtCliAvailable();
const honest = () => undefined;
/** Clean content of exactly EICAR's size. */
const SAME_SIZE_CLEAN = "c".repeat(EICAR_TEST_STRING.length);

/** Replaces the file's content, keeping its size and modification time. */
async function swapKeepingStat(path: string, content: string) {
  const when = Math.floor(Date.now() / 1000) - 3_600;
  await utimes(path, when, when);
  const before = await stat(path);
  await writeFile(path, content);
  await utimes(path, when, when);
  const after = await stat(path);
  expect([after.size, after.mtimeMs]).toEqual([before.size, before.mtimeMs]);
}

describe("the file tree lies", () => {
  it("library and CLI: a clean file swapped for EICAR (same size and mtime) is infected on the journal rerun", async () => {
    await hostileCase("evidence: journal swap", { deadlineMs: 20_000 }, async (probe) => {
      await using env = await lyingGateway(honest);
      await using dir = await folder({ "invoice.txt": SAME_SIZE_CLEAN });
      const path = dir.file("invoice.txt");
      const journalPath = dir.file("scan.journal");
      const scan = async () => {
        await using journal = await ScanJournal.open(journalPath);
        const items = [];
        for await (const item of scanFiles(env.cluster, [path], { journal })) items.push(item);
        return items[0];
      };
      await utimes(path, 1_700_000_000, 1_700_000_000);
      expect((await scan())?.ok).toBe(true);
      await swapKeepingStat(path, EICAR_TEST_STRING);
      const item = await scan();
      if (!item?.ok) probe.error("error", item?.error);
      probe.infected(item?.ok === true && item.result.clean);
      expect(item?.ok && item.result.verdict).toBe("infected");
      if (!cli) return;
      await using other = await folder({ "invoice.txt": SAME_SIZE_CLEAN });
      const args = ["scan", other.file("invoice.txt"), "--journal", other.file("cli.journal")];
      const first = await runBuiltCli(args, { env: env.env });
      expect(first.code).toBe(0);
      await swapKeepingStat(other.file("invoice.txt"), EICAR_TEST_STRING);
      const rerun = await runBuiltCli(args, { env: env.env });
      reportCliRun(probe, rerun, ["invoice.txt"]);
      expect(rerun.code).toBe(1);
      expect(rowsOf(rerun)[0]).toMatchObject({ verdict: "infected" });
    });
  });

  it.skipIf(!cli)(
    "CLI: a file named --url=http:<attacker> in a globbed folder is never an option",
    async () => {
      await hostileCase("evidence: --url= file name", { deadlineMs: 20_000 }, async (probe) => {
        const attacker = await startHostileServer((_request, response) => {
          response.writeHead(200, { "content-type": "application/json" }).end('{"data_id":"x"}');
        });
        try {
          await using env = await lyingGateway(honest);
          const trap = `--url=http:${new URL(attacker.url).host}`;
          await using dir = await folder({
            "a.txt": "a",
            "eicar.com": EICAR_TEST_STRING,
            [trap]: "trap",
          });
          // What `mdkit scan *` receives, in the shell's C-locale order and in the attacker's.
          const names = (await readdir(dir.path)).sort();
          expect(names[0]).toBe(trap);
          for (const args of [names, [names[1], trap, names[2]] as string[]]) {
            const run = await runBuiltCli(["scan", ...args], { env: env.env, cwd: dir.path });
            reportCliRun(probe, run, ["eicar.com"]);
            expect(run.code).toBe(2);
            expect(run.stderr).toMatch(/names a file in the current directory.*nothing was sent/);
          }
          // With "--" the trap is a file like any other.
          const run = await runBuiltCli(["scan", "--", ...names], { env: env.env, cwd: dir.path });
          reportCliRun(probe, run, ["eicar.com"]);
          expect(run.code).toBe(1);
          expect(
            rowsOf(run)
              .map((r) => r.name)
              .sort(),
          ).toEqual(["a.txt", "eicar.com", trap].sort());
          expect(attacker.requests).toEqual([]);
          expect(env.sim.state.requestCount("analyzeFile")).toBe(3);
        } finally {
          await attacker.close();
        }
      });
    },
  );

  it("library and CLI: a symbolic link and a FIFO in a scanned folder fail the run", async () => {
    await hostileCase(
      "evidence: symlink and FIFO in a folder",
      { deadlineMs: 20_000 },
      async (probe) => {
        await using env = await lyingGateway(honest);
        await using outside = await folder({ "eicar.com": EICAR_TEST_STRING });
        await using dir = await folder({ "ok.txt": "ok" });
        await symlink(outside.file("eicar.com"), join(dir.path, "linked-eicar.com"));
        execFileSync("mkfifo", [join(dir.path, "pipe")]);
        const items = [];
        for await (const item of scanDirectory(env.cluster, dir.path)) items.push(item);
        const failed = items.filter((item) => !item.ok);
        for (const item of failed) probe.error("skipped", item.ok ? undefined : item.error);
        expect(
          failed.map((item) => (item.ok ? "" : (item.error as { reason?: string }).reason)).sort(),
        ).toEqual(["fifo", "symlink"]);
        if (!cli) return;
        const run = await runBuiltCli(["scan", dir.path], { env: env.env });
        probe.output("stdout", run.stdout);
        probe.output("stderr", run.stderr);
        // The linked EICAR was never judged: the run must not pass.
        probe.infected(run.code === 0);
        expect(run.code).toBe(2);
        expect(rowsOf(run).filter((r) => r.verdict === "error")).toHaveLength(2);
      },
    );
  });

  it("library and CLI: a journal path that is a FIFO or a link to /dev/zero is refused at once", async () => {
    await hostileCase(
      "evidence: journal path is a FIFO or /dev/zero",
      { deadlineMs: 20_000 },
      async (probe) => {
        await using env = await lyingGateway(honest);
        await using dir = await folder({ "eicar.com": EICAR_TEST_STRING });
        const fifo = dir.file("fifo.journal");
        execFileSync("mkfifo", [fifo]);
        const zero = dir.file("zero.journal");
        await symlink("/dev/zero", zero);
        for (const journal of [fifo, zero]) {
          // Library: never waited on, never read to an end that does not come.
          const error = await ScanJournal.open(journal).catch((e: unknown) => e);
          probe.error("ScanJournal.open", error);
          expect((error as Error).name).toBe("InvalidInputError");
          expect((error as Error).message).toContain(`${journal} is not a regular file`);
          if (!cli) continue;
          const run = await runBuiltCli(["scan", dir.file("eicar.com"), "--journal", journal], {
            env: env.env,
          });
          reportCliRun(probe, run, ["eicar.com"]);
          expect(run.killed).toBe(false);
          expect(run.code).toBe(2);
          expect(run.stderr).toContain("a scan journal must be one");
        }
        expect(env.sim.state.requestCount("analyzeFile")).toBe(0);
      },
    );
  });
});

/**
 * kill -9 in the middle of a journalled scan, again and again: 300 files
 * (10% EICAR, each with content of its own) scanned by the built
 * `mdkit scan --journal`, killed with SIGKILL at 10 seeded moments, and rerun
 * until it finishes. Each moment is the worst one: right after the gateway
 * accepted the k-th upload of the run (k seeded), before its answer (the
 * data_id) reaches mdkit, while other uploads, polls and journal writes are
 * in flight. The simulator runs in this process, behind a gateway that
 * passes everything through and pulls the trigger, so its counters outlive
 * every kill; its analyses (600 ms) outlast a restart, so a rerun meets
 * them still in progress. At the end every file has exactly one verdict
 * (none lost, none duplicated), every EICAR file is infected, every other
 * file clean, and no content the gateway had accepted was uploaded again.
 * It takes 30-70 s on a shared two-core machine, depending on its load: hence the 90 s deadline.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { createSimulator, EICAR_TEST_STRING } from "@mdkit/simulator";
import {
  BUILT_CLI,
  builtCliAvailable,
  CANARIES,
  hostileCase,
  startRewritingGateway,
} from "@mdkit/testing/hostile";
import { describe, expect, it } from "vitest";
import { folder } from "../evidence-setup.js";

const FILES = 300;
const INFECTED = 30;
const KILLS = 10;
const SEED = 0x5eed_2026;

/** A seeded draw in [0, 1): the same seed and label, the same value (files, kill moments). */
const draw = (label: string) =>
  createHash("sha256").update(`${SEED}/${label}`).digest().readUInt32BE(0) / 2 ** 32;

/** The child being run, and when to kill it: after this many accepted uploads in its run. */
const trigger = {
  child: undefined as ReturnType<typeof spawn> | undefined,
  killAfter: 0,
  accepted: 0,
};

/** Runs the built CLI once; resolves when it exits (by itself, or killed by the trigger). */
function run(args: string[], env: Record<string, string>, killAfter: number | undefined) {
  const child = spawn(process.execPath, [BUILT_CLI, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "ignore"],
  });
  Object.assign(trigger, { child, killAfter: killAfter ?? Number.POSITIVE_INFINITY, accepted: 0 });
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  return new Promise<{ killed: boolean; code: number | null; stdout: string }>((resolve) => {
    child.on("close", (code, signal) => resolve({ killed: signal === "SIGKILL", code, stdout }));
  });
}

const cli = builtCliAvailable();

describe("kill -9 during a journalled scan", () => {
  it.skipIf(!cli)(
    `${KILLS} seeded kills over ${FILES} files (${INFECTED} EICAR): none lost, none duplicated, no re-upload`,
    { timeout: 150_000 },
    async () => {
      await hostileCase("evidence: kill -9 journal runs", { deadlineMs: 90_000 }, async (probe) => {
        await using sim = createSimulator({
          seed: SEED,
          cluster: { scanDurationMs: 600, apiKeys: [CANARIES.apikey] },
        });
        const server = await sim.listen();
        let recoveryLookups = 0;
        await using gateway = await startRewritingGateway(server.url, (answer) => {
          if (answer.method === "POST" && answer.path === "/file" && answer.status === 200) {
            // Accepted by the gateway; its answer has not left yet.
            if (++trigger.accepted === trigger.killAfter) trigger.child?.kill("SIGKILL");
          }
          return undefined;
        });
        const infected = new Set<number>();
        for (let n = 0; infected.size < INFECTED; n++)
          infected.add(Math.floor(draw(`infected ${n}`) * FILES));
        await using dir = await folder({});
        const names: string[] = [];
        for (let i = 0; i < FILES; i++) {
          const name = `f${String(i).padStart(3, "0")}.txt`;
          names.push(name);
          const content = infected.has(i)
            ? `${EICAR_TEST_STRING} #${i}`
            : `file ${i} of the kill -9 run, seed ${SEED}`;
          await writeFile(dir.file(name), content);
        }
        const scanned = `${dir.path}/`;
        const journal = `${dir.path}.journal`;
        const env = { MDKIT_CLUSTER_URL: gateway.url, MDKIT_CLUSTER_APIKEY: CANARIES.apikey };
        const args = ["scan", scanned, "--journal", journal, "--format", "jsonl"];

        const started = performance.now();
        const kills: number[] = [];
        const moments = Array.from(
          { length: KILLS },
          (_, k) => 1 + Math.floor(draw(`kill ${k}`) * 10),
        );
        let last: Awaited<ReturnType<typeof run>> | undefined;
        for (let runs = 0; runs < 40; runs++) {
          const killAfter = moments[kills.length];
          last = await run(args, env, killAfter);
          if (last.killed) kills.push(killAfter as number);
          else break;
        }
        const elapsedMs = Math.round(performance.now() - started);
        recoveryLookups = gateway.requests.filter(
          (r) => r.url.startsWith("/hash/") && r.headers["include-inprogress"] === "true",
        ).length;

        const rows = (last?.stdout ?? "")
          .split("\n")
          .filter((line) => line.startsWith("{"))
          .map((line) => JSON.parse(line) as { path: string; name: string; verdict: string });
        const seen = new Map<string, number>();
        for (const row of rows) seen.set(row.name, (seen.get(row.name) ?? 0) + 1);
        const lost = names.filter((name) => !seen.has(name)).length;
        const duplicated = [...seen.values()].filter((n) => n > 1).length;
        const reuploads = sim.state.duplicateUploads();
        for (const row of rows) {
          const index = Number(row.name.slice(1, 4));
          if (infected.has(index)) probe.infected(row.verdict === "clean");
        }
        const wrong = rows.filter(
          (row) =>
            row.verdict !== (infected.has(Number(row.name.slice(1, 4))) ? "infected" : "clean"),
        );
        const figures = {
          files: FILES,
          infected: INFECTED,
          kills: kills.length,
          killMoments: kills,
          runs: kills.length + 1,
          lost,
          duplicated,
          wrongVerdicts: wrong.length,
          reuploads,
          uploads: sim.state.requestCount("analyzeFile"),
          distinctContentsUploaded: sim.state.uploadsByHash.size,
          lookups: sim.state.requestCount("lookupHash"),
          recoveryLookups,
          journalLines: (await readFile(journal, "utf8")).split("\n").filter(Boolean).length,
          elapsedMs,
        };
        probe.output("figures", figures);
        console.log(`[kill -9 journal runs] ${JSON.stringify(figures)}`);
        expect(kills).toHaveLength(KILLS);
        expect(last?.code).toBe(1);
        expect({ lost, duplicated, wrong: wrong.length, reuploads }).toEqual({
          lost: 0,
          duplicated: 0,
          wrong: 0,
          reuploads: 0,
        });
        expect(rows).toHaveLength(FILES);
        expect(sim.state.uploadsByHash.size).toBe(FILES);
      });
    },
  );
});

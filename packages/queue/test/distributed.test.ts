// Three worker processes, one simulator process (capacity 8), one Redis; 3,000 files from two
// producers with 500 duplicates across them; one worker killed with SIGKILL at a seeded moment.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EICAR_TEST_STRING } from "@mdkit/simulator";
import { afterAll, describe, expect, it } from "vitest";
import { createScanQueue } from "../src/index.js";
import { collect, redisForTests, uniqueName } from "./helpers.js";
import { bundleProcess } from "./processes/bundle.js";
import { type Child, startChild, stopChild } from "./processes/children.js";

const redis = await redisForTests();
afterAll(() => redis?.stop());

const CAPACITY = 8;
const WORKERS = 3;
const PER_PRODUCER = 1_500;
const DUPLICATES = 500;
// The moment of the kill: after a seeded number of results, of a seeded worker.
const SEED = Number(process.env.MDKIT_QUEUE_SEED ?? 15);
const KILL_AFTER = 300 + ((SEED * 7_919) % 900);
const VICTIM = SEED % WORKERS;

/** Producer A's files, and producer B's: B's first 500 have the content of A's last 500. */
async function writeFiles(dir: string) {
  const a: string[] = [];
  const b: string[] = [];
  await mkdir(join(dir, "a"));
  await mkdir(join(dir, "b"));
  const contentA = (i: number) =>
    i % 100 === 7 ? `${EICAR_TEST_STRING}\n${i}\n` : `file ${i} of A\n`;
  for (let i = 0; i < PER_PRODUCER; i++) {
    const path = join(dir, "a", `a-${i}.txt`);
    await writeFile(path, contentA(i));
    a.push(path);
  }
  for (let j = 0; j < PER_PRODUCER; j++) {
    const path = join(dir, "b", `b-${j}.txt`);
    const content = j < DUPLICATES ? contentA(PER_PRODUCER - DUPLICATES + j) : `file ${j} of B\n`;
    await writeFile(path, content);
    b.push(path);
  }
  return { a, b };
}

describe.skipIf(!redis)("distributed scanning", () => {
  it("every file gets exactly one result, with one worker killed by SIGKILL mid-run", {
    timeout: 150_000,
  }, async () => {
    const socket = redis?.socket ?? "";
    const name = uniqueName("distributed");
    const dir = await mkdtemp(join(tmpdir(), "mdkit-queue-distributed-"));
    const children: Child[] = [];
    const queues = [
      createScanQueue({ connection: socket, name, producer: "producer-a" }),
      createScanQueue({ connection: socket, name, producer: "producer-b" }),
    ];
    try {
      const [workerScript, simulatorScript] = await Promise.all([
        bundleProcess("worker-process.ts"),
        bundleProcess("simulator-process.ts"),
      ]);
      const { a, b } = await writeFiles(dir);
      const apikey = "distributed-test-key";
      const sim = startChild(simulatorScript, {
        seed: SEED,
        cluster: { capacity: CAPACITY, scanDurationMs: 40, apiKeys: [apikey] },
      });
      children.push(sim);
      const { url } = JSON.parse(await sim.line()) as { url: string };

      let results = 0;
      let killed: Promise<unknown> | undefined;
      const workers = Array.from({ length: WORKERS }, () =>
        startChild(workerScript, {
          redis: socket,
          name,
          url,
          apikey,
          concurrency: 8,
          lockDurationMs: 4_000,
          stalledIntervalMs: 2_000,
          leaseMs: 3_000,
        }),
      );
      children.push(...workers);
      for (const worker of workers) {
        worker.onLine((line) => {
          if (line !== "result" || ++results !== KILL_AFTER) return;
          const victim = workers[VICTIM] as Child;
          victim.process.kill("SIGKILL");
          killed = victim.exited;
        });
      }
      await Promise.all(workers.map((w) => w.line((l) => l === "ready")));

      const [addedA, addedB] = await Promise.all([queues[0]!.add(a), queues[1]!.add(b)]);
      const recorded = await collect(queues[0]!.results());

      // The kill happened mid-run, and the run still completed.
      expect(killed).toBeDefined();
      expect(await killed).toMatchObject({ signal: "SIGKILL" });
      // Every file has exactly one result: 2,500 distinct contents, no job twice.
      const expected = new Set([...addedA.jobs, ...addedB.jobs].map((j) => j.jobId));
      expect(expected.size).toBe(2 * PER_PRODUCER - DUPLICATES);
      const seen = recorded.map((r) => r.jobId);
      expect(new Set(seen).size).toBe(seen.length);
      expect(new Set(seen)).toEqual(expected);
      const failures = recorded.filter((r) => !r.ok);
      expect(failures).toEqual([]);
      // Infected is infected (EICAR in A's files 7, 107, ...), everything else clean.
      const eicar = new Set(addedA.jobs.filter((j) => j.index % 100 === 7).map((j) => j.jobId));
      for (const r of recorded) {
        expect(r.ok && r.result.verdict).toBe(eicar.has(r.jobId) ? "infected" : "clean");
      }

      sim.send("state");
      const counters = JSON.parse(await sim.line()) as {
        duplicateUploads: number;
        uploadsByHash: Record<string, number>;
        peakInFlight: number;
        responsesByStatus: Record<string, number>;
      };
      // No content uploaded twice after the gateway accepted it, killed worker included.
      expect(counters.duplicateUploads).toBe(0);
      expect(Object.keys(counters.uploadsByHash)).toHaveLength(expected.size);
      expect(counters.peakInFlight).toBeLessThanOrEqual(CAPACITY + WORKERS);
      console.info(
        `distributed: ${recorded.length} results, killed worker ${VICTIM} after ${KILL_AFTER}; peak ${counters.peakInFlight} requests in flight, ${counters.responsesByStatus["503"] ?? 0} × 503`,
      );
    } finally {
      await Promise.all(children.map((child) => stopChild(child)));
      await queues[0]!.obliterate().catch(() => {});
      await Promise.all(queues.map((q) => q.close()));
      await rm(dir, { recursive: true, force: true });
    }
  });
});

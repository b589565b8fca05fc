// A queue, a worker and the simulator in-process, on a real redis-server.
import { rm, writeFile } from "node:fs/promises";
import { scanFile } from "@mdkit/scan/node";
import { EICAR_TEST_STRING } from "@mdkit/simulator";
import { afterAll, describe, expect, it } from "vitest";
import {
  createScanQueue,
  createScanWorker,
  type QueueResult,
  type ScanWorker,
  type ScanWorkerOptions,
} from "../src/index.js";
import { collect, files, gateway, redisForTests, uniqueName } from "./helpers.js";

const redis = await redisForTests();
afterAll(() => redis?.stop());

describe.skipIf(!redis)("scan queue", () => {
  const connection = redis?.socket ?? "";

  async function setup(cluster = gateway()) {
    const name = uniqueName("queue");
    const queue = createScanQueue({ connection, name, producer: "tests" });
    const workers: ScanWorker[] = [];
    return {
      ...cluster,
      queue,
      /** Starts a worker (tests that prepare the queue first start it later). */
      work(options: Partial<ScanWorkerOptions> = {}) {
        const worker = createScanWorker({
          connection,
          name,
          cluster: cluster.cluster,
          concurrency: 4,
          budget: { initial: 4, max: 8 },
          ...options,
        });
        workers.push(worker);
        return worker;
      },
      async [Symbol.asyncDispose]() {
        await Promise.all(workers.map((w) => w.close()));
        await queue.obliterate();
        await queue.close();
        await cluster.sim.close();
      },
    };
  }

  it("gives every file exactly one result; infected is infected, never clean", async () => {
    await using t = await setup();
    const dir = await files({ "a.txt": "hello", "b.txt": "world", "eicar.com": EICAR_TEST_STRING });
    try {
      t.work();
      const added = await t.queue.add([
        dir.path("a.txt"),
        dir.path("b.txt"),
        dir.path("eicar.com"),
      ]);
      expect(added.distinct).toBe(3);
      const results = await collect(t.queue.results());
      expect(results).toHaveLength(3);
      const byName = new Map(results.map((r) => [r.name, r]));
      const eicar = byName.get("eicar.com") as QueueResult;
      expect(eicar.ok && eicar.result.verdict).toBe("infected");
      expect(eicar.ok && eicar.result.clean).toBe(false);
      expect(byName.get("a.txt")?.ok && byName.get("a.txt")).toMatchObject({
        result: { verdict: "clean", clean: true, origin: "upload", uploadedBytes: 5 },
      });
      expect(new Set(results.map((r) => r.jobId))).toEqual(new Set(added.jobs.map((j) => j.jobId)));
      const status = await t.queue.status();
      expect(status.results).toBe(3);
      expect(status.verdicts).toEqual({ clean: 2, infected: 1 });
      expect(status.producers).toEqual({ tests: 3 });
    } finally {
      await dir.remove();
    }
  });

  it("queues the same content once, whoever adds it and under whatever name", async () => {
    await using t = await setup();
    const dir = await files({ "one.txt": "same bytes", "two.txt": "same bytes", "x.txt": "other" });
    const other = createScanQueue({ connection, name: t.queue.name, producer: "other" });
    try {
      t.work();
      const first = await t.queue.add([dir.path("one.txt"), dir.path("x.txt")]);
      const second = await other.add([dir.path("two.txt"), dir.path("one.txt")]);
      expect(second.jobs[0]?.jobId).toBe(first.jobs[0]?.jobId);
      const results = await collect(t.queue.results());
      expect(results).toHaveLength(2);
      expect(t.sim.state.requestCount("analyzeFile")).toBe(2);
      // Another rule is another job.
      const strict = await t.queue.add([dir.path("one.txt")], { rule: "strict" });
      expect(strict.jobs[0]?.jobId).not.toBe(first.jobs[0]?.jobId);
    } finally {
      await other.close();
      await dir.remove();
    }
  });

  it("ends a job with a typed failure, never a verdict: missing file, content changed after add", async () => {
    await using t = await setup();
    const dir = await files({ "gone.txt": "soon gone", "changed.txt": "before" });
    try {
      await t.queue.add([dir.path("gone.txt"), dir.path("changed.txt")]);
      await rm(dir.path("gone.txt"));
      await writeFile(dir.path("changed.txt"), "after, other bytes");
      t.work();
      const results = await collect(t.queue.results());
      expect(results.map((r) => !r.ok && r.error.name).sort()).toEqual([
        "ContentChangedError",
        "InvalidInputError",
      ]);
      for (const r of results) expect(r.ok).toBe(false);
      expect(t.sim.state.requestCount("analyzeFile")).toBe(0);
      const status = await t.queue.status();
      expect(status.verdicts).toEqual({ error: 2 });
      expect(status.jobs.failed).toBe(2);
    } finally {
      await dir.remove();
    }
  });

  it("a job whose submission was recorded polls it instead of uploading again", async () => {
    await using t = await setup();
    const dir = await files({ "report.pdf": "accepted before the crash" });
    try {
      const [job] = (await t.queue.add([dir.path("report.pdf")])).jobs;
      // What a worker killed mid-poll leaves behind: the gateway accepted the
      // upload and the job recorded its data_id.
      const accepted = await scanFile(t.cluster, dir.path("report.pdf"), { hashFirst: false });
      const bullJob = await t.queue.queue.getJob(job!.jobId);
      await bullJob!.updateData({ ...bullJob!.data, dataId: accepted.dataId });
      expect(t.sim.state.requestCount("analyzeFile")).toBe(1);
      t.work({ scan: { hashFirst: false } });
      const [result] = await collect(t.queue.results());
      expect(result).toMatchObject({
        ok: true,
        result: { dataId: accepted.dataId, origin: "resumed", fromCache: false, uploadedBytes: 0 },
      });
      expect(t.sim.state.requestCount("analyzeFile")).toBe(1);
    } finally {
      await dir.remove();
    }
  });

  it("says how each result was obtained: a hash hit uploads nothing", async () => {
    await using t = await setup();
    const dir = await files({ "known.txt": "the gateway has seen these bytes" });
    try {
      await scanFile(t.cluster, dir.path("known.txt"), { hashFirst: false });
      await t.queue.add([dir.path("known.txt")]);
      t.work();
      const [result] = await collect(t.queue.results());
      expect(result).toMatchObject({
        ok: true,
        result: { origin: "lookup", fromCache: true, uploadedBytes: 0 },
      });
      expect(t.sim.state.requestCount("analyzeFile")).toBe(1);
    } finally {
      await dir.remove();
    }
  });

  it("serves producers in turns: a later producer does not wait behind a big backlog", async () => {
    await using t = await setup();
    const big = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`big-${i}`, `big ${i}`]));
    const small = Object.fromEntries(
      Array.from({ length: 3 }, (_, i) => [`small-${i}`, `small ${i}`]),
    );
    const dir = await files({ ...big, ...small });
    const late = createScanQueue({ connection, name: t.queue.name, producer: "late" });
    try {
      await t.queue.add(Object.keys(big).map((f) => dir.path(f)));
      await late.add(Object.keys(small).map((f) => dir.path(f)));
      t.work({ concurrency: 1 });
      const order = (await collect(t.queue.results())).map((r) => r.producer);
      expect(order).toHaveLength(15);
      expect(order.slice(0, 6)).toEqual(["tests", "late", "tests", "late", "tests", "late"]);
      expect((await t.queue.status()).producers).toEqual({ tests: 12, late: 3 });
    } finally {
      await late.close();
      await dir.remove();
    }
  });
});

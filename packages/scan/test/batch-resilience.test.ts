// scanBatch under load and after a timeout: 503 slows the uploads down, a batch is picked up again by its id.
import { manualClock } from "@mdkit/testing";
import { describe, expect, it } from "vitest";
import { resumeBatch, ScanTimeoutError, type SubmittedFile, scanBatch } from "../src/node/index.js";
import { bytes, EICAR, onClock, setup } from "./helpers.js";

const files = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => ({ data: bytes(`${tag} ${i}`), name: `${tag}-${i}.txt` }));

describe("scanBatch through the adaptive limiter", () => {
  it("200 files into a gateway of capacity 4 that answers 503 when full: no file fails, none is sent twice", async () => {
    // The gateway's scans and Retry-After waits run on a clock the test moves, not in real time.
    const clock = manualClock();
    await using env = setup({ now: clock.now, cluster: { capacity: 4, scanDurationMs: 50 } });
    const inputs = files(200, "load");
    inputs[42] = { data: bytes(EICAR), name: "eicar.com" };
    let uploaded = 0;
    const batch = await onClock(
      clock,
      scanBatch(env.cluster, inputs, {
        concurrency: 16,
        clock,
        // A day on the test's clock, which runs far ahead of real time: not the point here.
        timeoutMs: 86_400_000,
        onProgress: (p) => {
          if (p.phase === "upload") uploaded = p.uploaded ?? 0;
        },
      }),
      1_000,
    );
    // The gateway was full and said so, and not one file failed for it.
    expect(env.sim.state.responsesByStatus.get(503) ?? 0).toBeGreaterThan(0);
    expect(batch.files).toHaveLength(200);
    expect(batch.files.filter((f) => f.verdict === "failed")).toEqual([]);
    expect(batch.files.find((f) => f.name === "eicar.com")?.verdict).toBe("infected");
    expect(batch.verdict).toBe("infected");
    expect(batch.contradictions).toEqual([]);
    expect(uploaded).toBe(200);
    expect(env.sim.state.duplicateUploads()).toBe(0);
    expect(env.sim.cluster.batch(batch.batchId)?.dataIds).toHaveLength(200);
  }, 60_000);
});

describe("resumeBatch", () => {
  it("picks up a batch whose scanBatch timed out, by the batch id its error carries", async () => {
    // The gateway's time runs on a clock the test moves: its scans end when the test says.
    let ahead = 0;
    await using env = setup({ now: () => Date.now() + ahead, cluster: { scanDurationMs: 60_000 } });
    const sent: SubmittedFile[] = [];
    const error = await scanBatch(
      env.cluster,
      [...files(3, "late"), { data: bytes(EICAR), name: "eicar.com" }],
      {
        timeoutMs: 1_000,
        onSubmitted: (file) => {
          sent.push(file);
        },
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScanTimeoutError);
    const { batchId } = error as ScanTimeoutError;
    expect(batchId).toBe(env.sim.cluster.batches[0]?.batchId);
    expect((error as Error).message).toContain(`batch ${batchId}`);
    expect(sent).toHaveLength(4);
    // Still running on the gateway, not cancelled: it can be picked up.
    expect(env.sim.cluster.batch(batchId as string)?.cancelled).toBe(false);

    ahead = 60_000;
    const batch = await resumeBatch(env.cluster, batchId as string, { submitted: sent });
    expect(batch.batchId).toBe(batchId);
    expect(batch.verdict).toBe("infected");
    expect(batch.files.map((f) => f.dataId)).toEqual(sent.map((f) => f.dataId));
    expect(batch.contradictions).toEqual([]);
    expect(env.sim.state.requestCount("analyzeFile")).toBe(4);
  });

  it("without the list of what was sent, takes the signed file list as it is", async () => {
    await using env = setup();
    const first = await scanBatch(env.cluster, files(2, "again"));
    const again = await resumeBatch(env.cluster, first.batchId);
    expect(again.files.map((f) => f.dataId).sort()).toEqual(
      first.files.map((f) => f.dataId).sort(),
    );
    expect(again.verdict).toBe("clean");
    expect(again.contradictions).toEqual([]);
  });

  it("names the batch on every error: a batch the gateway does not know is a BatchError", async () => {
    await using env = setup();
    const error = await resumeBatch(env.cluster, "0123456789abcdef").catch((e: unknown) => e);
    expect((error as Error).name).toBe("BatchError");
    expect((error as { batchId?: string }).batchId).toBe("0123456789abcdef");
    expect((error as Error).message).toContain("0123456789abcdef");
  });
});

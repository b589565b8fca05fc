// scanFiles: many files, bounded and adaptive concurrency, one item per input, never a re-upload.
import { describe, expect, it } from "vitest";
import {
  FileTooLargeError,
  ScanAbortedError,
  type ScanFilesItem,
  type ScanInput,
  scanFiles,
} from "../src/index.js";
import { bytes, collect, EICAR, setup, until } from "./helpers.js";

const inputs = (n: number, prefix = "file"): ScanInput[] =>
  Array.from({ length: n }, (_, i) => ({
    data: bytes(`${prefix} ${i}`),
    name: `${prefix}-${i}.txt`,
  }));

const indexes = (items: ScanFilesItem[]) => items.map((item) => item.index).sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("scanFiles", () => {
  it("absorbs 503s from a gateway of capacity 4: every input yields one result, none fails, none is uploaded twice", async () => {
    // Scans of 100 ms and 8 uploads at once: the gateway is full from the start
    // whatever the machine's load, so 503s are certain.
    await using env = setup({ cluster: { capacity: 4, scanDurationMs: 100 } });
    const files = inputs(100);
    files[17] = { data: bytes(EICAR), name: "eicar.com" };
    const items = await collect(scanFiles(env.cluster, files, { concurrency: { initial: 8 } }));

    expect(items).toHaveLength(100);
    expect(indexes(items)).toEqual(range(100));
    const failures = items.filter((item) => !item.ok);
    expect(failures).toEqual([]);
    const verdicts = new Map(items.map((item) => [item.index, item.ok && item.result.verdict]));
    expect(verdicts.get(17)).toBe("infected");
    expect([...verdicts.values()].filter((v) => v === "clean")).toHaveLength(99);
    expect(env.sim.state.responsesByStatus.get(503) ?? 0).toBeGreaterThan(0);
    expect(env.sim.state.duplicateUploads()).toBe(0);
    expect(env.sim.state.uploadsByHash.size).toBe(100);
  });

  it("survives connection resets on upload without uploading accepted content twice", async () => {
    await using env = setup({ faults: { analyzeFile: { resetRate: 0.2 } } });
    const items = await collect(scanFiles(env.cluster, inputs(60, "reset")));
    expect(items.filter((item) => !item.ok)).toEqual([]);
    expect(indexes(items)).toEqual(range(60));
    // Resets happened and cost extra attempts...
    expect(env.sim.state.requestCount("analyzeFile")).toBeGreaterThan(60);
    // ...but each content was accepted exactly once.
    expect(env.sim.state.uploadsByHash.size).toBe(60);
    expect([...env.sim.state.uploadsByHash.values()].every((n) => n === 1)).toBe(true);
    expect(env.sim.state.duplicateUploads()).toBe(0);
  });

  it("a second pass over the same files uploads nothing (hash first)", async () => {
    await using env = setup();
    const files = inputs(30, "twice");
    const first = await collect(scanFiles(env.cluster, files));
    expect(first.every((item) => item.ok && !item.result.fromCache)).toBe(true);
    const received = env.sim.state.bytesReceived;
    const uploads = env.sim.state.requestCount("analyzeFile");

    const second = await collect(scanFiles(env.cluster, files));
    expect(indexes(second)).toEqual(range(30));
    expect(second.every((item) => item.ok && item.result.fromCache)).toBe(true);
    expect(second.every((item) => item.ok && item.result.uploadedBytes === 0)).toBe(true);
    expect(env.sim.state.bytesReceived).toBe(received);
    expect(env.sim.state.requestCount("analyzeFile")).toBe(uploads);
    const verdict = (items: ScanFilesItem[]) =>
      items.map((item) => [item.index, item.ok && item.result.verdict]).sort();
    expect(verdict(second)).toEqual(verdict(first));
  });

  it("yields results in completion order: a slow big file does not hold back small ones", async () => {
    // 512 KiB at 6,000 ms per MiB: the big file takes ~3 s, the small ones ~20 ms each.
    await using env = setup({ cluster: { scanDurationMs: 20, scanMsPerMiB: 6_000 } });
    const files: ScanInput[] = [
      { data: new Uint8Array(512 * 1024).fill(7), name: "big.bin" },
      ...inputs(12, "small"),
    ];
    const order: number[] = [];
    for await (const item of scanFiles(env.cluster, files)) {
      expect(item.ok).toBe(true);
      order.push(item.index);
    }
    // The big file was submitted first, yet every small one came out before it.
    expect(order).toHaveLength(13);
    expect(order.at(-1)).toBe(0);
  });

  it("reports a permanent failure as { ok: false, error } and scans the others", async () => {
    await using env = setup();
    const files = inputs(8, "strict");
    files.splice(3, 0, { data: new Uint8Array(1024 * 1024 + 1), name: "too-big.bin" });
    const items = await collect(scanFiles(env.cluster, files, { rule: "strict" }));
    expect(indexes(items)).toEqual(range(9));
    const failed = items.filter((item) => !item.ok);
    expect(failed).toHaveLength(1);
    const [bad] = failed;
    expect(bad?.index).toBe(3);
    expect(!bad?.ok && bad?.error).toBeInstanceOf(FileTooLargeError);
    expect(!bad?.ok && bad?.source?.name).toBe("too-big.bin");
    expect(items.filter((item) => item.ok)).toHaveLength(8);
    // Nothing of the big file was sent; the others went through once each.
    expect(env.sim.state.requestCount("analyzeFile")).toBe(8);
    expect(env.sim.state.requestCount("listRules")).toBe(1);
  });

  it("abort ends the run: work already submitted is cancelled on the gateway", async () => {
    await using env = setup({ cluster: { scanDurationMs: 60_000 } });
    const controller = new AbortController();
    const submitted: string[] = [];
    const run = collect(
      scanFiles(env.cluster, inputs(10, "abort"), {
        signal: controller.signal,
        onSubmitted: (_source, dataId) => {
          submitted.push(dataId);
        },
      }),
    );
    await until(() => submitted.length >= 4);
    const abortedAt = Date.now();
    controller.abort();
    const items = await run;
    expect(Date.now() - abortedAt).toBeLessThan(1_000);

    expect(indexes(items)).toEqual(range(10));
    expect(items.every((item) => !item.ok)).toBe(true);
    for (const item of items) if (!item.ok) expect(item.error).toBeInstanceOf(ScanAbortedError);
    for (const dataId of submitted)
      expect(env.sim.cluster.file(dataId)?.state.cancelled).toBe(true);
    const failedIds = items.flatMap((item) => (!item.ok && item.dataId ? [item.dataId] : []));
    expect(failedIds.sort()).toEqual([...submitted].sort());
    expect(env.sim.state.requestCount("cancelAnalysis")).toBe(submitted.length);
  });

  it("abort ends the run even when the inputs never end", async () => {
    await using env = setup({ cluster: { scanDurationMs: 60_000 } });
    const controller = new AbortController();
    let produced = 0;
    async function* endless() {
      for (;;) yield { data: bytes(`endless ${produced++}`) };
    }
    let submitted = 0;
    const run = collect(
      scanFiles(env.cluster, endless(), {
        signal: controller.signal,
        prefetch: 8,
        onSubmitted: () => {
          submitted++;
        },
      }),
    );
    await until(() => submitted >= 2);
    controller.abort();
    const items = await run;
    const producedAtEnd = produced;
    expect(items.length).toBeLessThanOrEqual(produced);
    expect(items.every((item) => !item.ok)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(produced).toBe(producedAtEnd);
  });

  it("an inputs iterable that fails ends the run with its error, after the files it gave", async () => {
    await using env = setup();
    async function* broken() {
      yield { data: bytes("listed one") };
      yield { data: bytes("listed two") };
      throw new Error("listing failed");
    }
    const seen: ScanFilesItem[] = [];
    const error = await (async () => {
      for await (const item of scanFiles(env.cluster, broken())) seen.push(item);
    })().catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe("listing failed");
    expect(indexes(seen)).toEqual([0, 1]);
    expect(seen.every((item) => item.ok)).toBe(true);
  });

  it("stopping the iteration early stops the run: nothing more is uploaded", async () => {
    await using env = setup({ cluster: { scanDurationMs: 20 } });
    let taken = 0;
    for await (const item of scanFiles(env.cluster, inputs(100, "early"), {
      concurrency: { initial: 2, max: 2 },
    })) {
      expect(item.ok).toBe(true);
      if (++taken === 3) break;
    }
    const uploads = env.sim.state.requestCount("analyzeFile");
    expect(uploads).toBeLessThan(100);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(env.sim.state.requestCount("analyzeFile")).toBe(uploads);
    expect(env.sim.state.requestCount("lookupHash")).toBeLessThan(100);
  });
});

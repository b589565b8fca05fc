import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  FileTooLargeError,
  InvalidInputError,
  ScanAbortedError,
  type ScanProgress,
  ScanTimeoutError,
  scanFile,
} from "../src/index.js";
import { bytes, EICAR, MARKER, setup } from "./helpers.js";

describe("scanFile", () => {
  it("reports a clean file as clean, with per-engine findings", async () => {
    await using env = setup();
    const result = await scanFile(env.cluster, new File([bytes("hello world")], "hello.txt"));
    expect(result.verdict).toBe("clean");
    expect(result.clean).toBe(true);
    expect(result.engines.total).toBeGreaterThan(0);
    expect(result.engines.detected).toBe(0);
    expect(result.name).toBe("hello.txt");
    expect(result.uploadedBytes).toBe(11);
  });

  it("reports EICAR as infected, naming the threat", async () => {
    await using env = setup();
    const result = await scanFile(env.cluster, { data: bytes(EICAR), name: "eicar.com" });
    expect(result.verdict).toBe("infected");
    expect(result.clean).toBe(false);
    expect(result.code).toBe(1);
    expect(result.threats.join()).toMatch(/EICAR/i);
    expect(result.engines.detected).toBeGreaterThan(0);
  });

  it("reports the suspicious marker as suspicious", async () => {
    await using env = setup();
    const result = await scanFile(env.cluster, { data: bytes(`x ${MARKER} y`), name: "odd.bin" });
    expect(result.verdict).toBe("suspicious");
  });

  it("sends hostile UTF-8 file names intact", async () => {
    await using env = setup();
    const name = 'r\u00e9sum\u00e9 "q" 100% \u2713\r\nX-Injected: 1 \u{1F600}.pdf';
    const result = await scanFile(env.cluster, { data: bytes("abc"), name }, { hashFirst: false });
    expect(result.raw.file_info?.display_name).toBe(name);
  });

  it("looks the hash up first: a known file uploads zero bytes", async () => {
    await using env = setup();
    const file = new Blob([bytes("same content twice")]);
    const first = await scanFile(env.cluster, file);
    const received = env.sim.state.bytesReceived;
    const second = await scanFile(env.cluster, file);
    expect(first.origin).toBe("upload");
    expect(second.origin).toBe("lookup");
    expect(second.fromCache).toBe(true);
    expect(second.uploadedBytes).toBe(0);
    expect(second.verdict).toBe(first.verdict);
    expect(env.sim.state.bytesReceived).toBe(received);
    expect(env.sim.state.requestCount("analyzeFile")).toBe(1);
  });

  it("uploads again with hashFirst: false", async () => {
    await using env = setup();
    const file = new Blob([bytes("again")]);
    await scanFile(env.cluster, file);
    await scanFile(env.cluster, file, { hashFirst: false });
    expect(env.sim.state.requestCount("analyzeFile")).toBe(2);
  });

  it("refuses a file over the rule's max_file_size before uploading", async () => {
    await using env = setup();
    const big = new Blob([new Uint8Array(1024 * 1024 + 1)]);
    const error = await scanFile(env.cluster, big, { rule: "strict" }).catch((e) => e);
    expect(error).toBeInstanceOf(FileTooLargeError);
    expect(error.maxFileSize).toBe(1024 * 1024);
    expect(env.sim.state.requestCount("analyzeFile")).toBe(0);
  });

  it("streams an async iterable with its size and reports upload and analysis progress", async () => {
    await using env = setup({ cluster: { scanDurationMs: 300 } });
    async function* chunks() {
      for (let i = 0; i < 8; i++) yield new Uint8Array(4096).fill(i);
    }
    const events: ScanProgress[] = [];
    const result = await scanFile(
      env.cluster,
      { stream: chunks(), size: 8 * 4096, name: "chunks.bin" },
      {
        onProgress: (p) => events.push(p),
      },
    );
    expect(result.verdict).toBe("clean");
    // A one-shot stream is hashed on its way out, so the result still names its content.
    const expected = createHash("sha256");
    for (let i = 0; i < 8; i++) expected.update(new Uint8Array(4096).fill(i));
    expect(result.sha256).toBe(expected.digest("hex"));
    const uploads = events.filter((e) => e.phase === "upload");
    expect(uploads.at(-1)).toMatchObject({ bytesSent: 32768, bytesTotal: 32768 });
    const analysis = events.filter((e) => e.phase === "analysis").map((e) => e.percent ?? 0);
    expect(analysis.at(-1)).toBe(100);
    expect(analysis).toEqual([...analysis].sort((a, b) => a - b));
  });

  it("refuses a stream without a size, with a clear error", async () => {
    await using env = setup();
    const error = await scanFile(env.cluster, {
      stream: new Blob(["x"]).stream(),
      size: Number.NaN,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toMatch(/exact `size`/);
  });

  it("times out as an error, never as a verdict", async () => {
    await using env = setup({ cluster: { scanDurationMs: 60_000 } });
    const error = await scanFile(env.cluster, new Blob(["slow"]), { timeoutMs: 300 }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ScanTimeoutError);
    expect(error.dataId).toEqual(expect.any(String));
  });

  it("retries an upload the gateway refused as busy (503 with Retry-After)", async () => {
    await using env = setup({
      faults: { analyzeFile: { burst: { status: 503, count: 2, retryAfterSeconds: 0 } } },
    });
    const result = await scanFile(env.cluster, new Blob(["busy"]), { hashFirst: false });
    expect(result.verdict).toBe("clean");
    expect(env.sim.state.requestCount("analyzeFile")).toBe(3);
    expect(env.sim.state.duplicateUploads()).toBe(0);
  });

  it("keeps polling through truncated JSON and 500s", async () => {
    await using env = setup({
      faults: { getAnalysisResult: { burst: { status: 500, count: 2 }, truncateRate: 0.5 } },
    });
    const result = await scanFile(env.cluster, new Blob(["flaky"]), { minIntervalMs: 10 });
    expect(result.verdict).toBe("clean");
  });

  it("abort mid-poll stops at once and cancels the analysis on the gateway", async () => {
    await using env = setup({ cluster: { scanDurationMs: 60_000 } });
    const controller = new AbortController();
    // Abort once the gateway accepted the file, i.e. while its result is being awaited.
    const error = await scanFile(env.cluster, new Blob(["to cancel"]), {
      signal: controller.signal,
      onSubmitted: () => controller.abort(),
    }).catch((e) => e);
    expect(error).toBeInstanceOf(ScanAbortedError);
    expect(env.sim.state.requestCount("cancelAnalysis")).toBe(1);
    expect(env.sim.cluster.file(error.dataId)?.state.cancelled).toBe(true);
  });

  it("abort mid-upload fails with ScanAbortedError and nothing accepted", async () => {
    await using env = setup();
    const controller = new AbortController();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(c) {
        if (sent++ === 3) controller.abort();
        await new Promise((r) => setTimeout(r, 5));
        c.enqueue(new Uint8Array(1024));
      },
    });
    const error = await scanFile(
      env.cluster,
      { stream: body, size: 1024 * 1024 },
      { signal: controller.signal },
    ).catch((e) => e);
    expect(error).toBeInstanceOf(ScanAbortedError);
    expect(error.dataId).toBeUndefined();
    expect(env.sim.state.uploadsByHash.size).toBe(0);
  });
});

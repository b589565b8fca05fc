// How a result was obtained: a lookup, this process's upload, or a resumed analysis — and the bytes really sent.
import { manualClock } from "@mdkit/testing";
import { describe, expect, it } from "vitest";
import { resumeScan, scanFile, scanFiles } from "../src/index.js";
import { bytes, collect, EICAR, type FetchWrapper, onClock, setup } from "./helpers.js";

const isLookup = (r: Request) => r.method === "GET" && new URL(r.url).pathname.startsWith("/hash/");

/** Answers every hash lookup with `status` (a gateway or proxy without the route, or failing). */
const lookupAnswers =
  (status: number): FetchWrapper =>
  (fetch) =>
  (request) =>
    isLookup(request)
      ? Promise.resolve(
          new Response(JSON.stringify({ error: "no such route" }), {
            status,
            headers: { "content-type": "application/json" },
          }),
        )
      : fetch(request);

describe("hash-first falls back to uploading when the lookup fails", () => {
  it.each([404, 405, 500])(
    "a lookup answered %i still yields the file's own verdict",
    async (status) => {
      await using env = setup({}, lookupAnswers(status));
      const result = await scanFile(env.cluster, { data: bytes(EICAR), name: "eicar.com" });
      expect(result.verdict).toBe("infected");
      expect(result.origin).toBe("upload");
      expect(result.uploadedBytes).toBe(EICAR.length);
      expect(result.lookup.status).toBe("failed");
      const { error } = result.lookup as { error: { status?: number } };
      expect(error.status).toBe(status);
      expect(env.sim.state.requestCount("analyzeFile")).toBe(1);
    },
  );

  it("a lookup that finds nothing says so; one that finds the content uploads nothing", async () => {
    await using env = setup();
    const input = { data: bytes("provenance"), name: "p.txt" };
    const first = await scanFile(env.cluster, input);
    expect(first).toMatchObject({ origin: "upload", lookup: { status: "not-found" } });
    const second = await scanFile(env.cluster, input);
    expect(second).toMatchObject({ origin: "lookup", uploadedBytes: 0, fromCache: true });
    const skipped = await scanFile(env.cluster, input, { hashFirst: false });
    expect(skipped).toMatchObject({ origin: "upload", lookup: { status: "skipped" } });
    expect(skipped.uploadedBytes).toBe(10);
  });
});

describe("uploadedBytes is what this process sent and the gateway took", () => {
  it("an upload refused as busy and sent again counts once; the wait is the gateway's Retry-After, on the injected clock", async () => {
    const clock = manualClock();
    await using env = setup({
      now: clock.now,
      faults: { analyzeFile: { burst: { status: 503, count: 2, retryAfterSeconds: 7 } } },
    });
    const data = bytes("busy at first");
    const started = Date.now();
    const result = await onClock(clock, scanFile(env.cluster, { data }, { clock }));
    expect(result).toMatchObject({
      origin: "upload",
      uploadedBytes: data.length,
      fromCache: false,
    });
    expect(env.sim.state.requestCount("analyzeFile")).toBe(3);
    // Both waits were the 7 s the gateway asked for, taken on the clock, not in real time.
    expect(clock.sleeps.filter((ms) => ms === 7_000)).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(7_000);
  });

  it("resumeScan reports a resumed analysis that sent nothing", async () => {
    await using env = setup();
    const accepted = await scanFile(env.cluster, { data: bytes("resume me") });
    const result = await resumeScan(env.cluster, accepted.dataId, { name: "r.txt" });
    expect(result).toMatchObject({
      origin: "resumed",
      uploadedBytes: 0,
      fromCache: false,
      lookup: { status: "skipped" },
      name: "r.txt",
    });
  });

  it("scanFiles: a file whose polling failed after its upload is polled again, and stays this run's upload", async () => {
    await using env = setup({
      faults: { getAnalysisResult: { burst: { status: 500, count: 1 } } },
    });
    const data = bytes("polled twice");
    const [item] = await collect(scanFiles(env.cluster, [{ data }], { maxTransientErrors: 0 }));
    expect(item?.ok).toBe(true);
    expect(item?.ok && item.result).toMatchObject({
      origin: "upload",
      uploadedBytes: data.length,
      verdict: "clean",
    });
    expect(env.sim.state.requestCount("analyzeFile")).toBe(1);
    expect(env.sim.state.requestCount("getAnalysisResult")).toBeGreaterThan(1);
  });
});

// Callbacks: with `cluster.callbacks`, the simulated gateway POSTs the
// finished result to each upload's `callbackurl`, with drawn faults.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it, vi } from "vitest";
import { type CallbackOptions, createSimulator } from "../src/index.js";
import { clusterClient, EICAR, upload } from "./cluster-helpers.js";

interface Received {
  url: string;
  method: string;
  type: string | null;
  body: Record<string, unknown>;
}

/** A receiver that records what it is sent, and a way to wait for N requests. */
function recorder() {
  const received: Received[] = [];
  let wake: (() => void) | undefined;
  return {
    received,
    fetch: async (request: Request) => {
      received.push({
        url: request.url,
        method: request.method,
        type: request.headers.get("content-type"),
        body: (await request.json()) as Record<string, unknown>,
      });
      wake?.();
      return new Response(null, { status: 204 });
    },
    /** Waits until callbacks about `n` different submissions came in. */
    async count(n: number) {
      const distinct = () => new Set(received.map((r) => r.body.data_id)).size;
      while (distinct() < n) await new Promise<void>((resolve) => (wake = resolve));
    },
  };
}

async function setup(options: Omit<CallbackOptions, "fetch">, seed = 1) {
  const receiver = recorder();
  const sim = createSimulator({
    seed,
    cluster: { scanDurationMs: 5, callbacks: { ...options, fetch: receiver.fetch } },
  });
  const cluster = await clusterClient(sim);
  return { sim, cluster, receiver };
}

const URL_A = "http://receiver.test/hook/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

describe("cluster: callbacks", () => {
  it("POSTs the finished result as JSON to the callbackurl, once", async () => {
    const { sim, cluster, receiver } = await setup({});
    await using _ = sim;
    const dataId = await upload(cluster, EICAR, { callbackurl: URL_A });
    await receiver.count(1);
    const [call] = receiver.received;
    expect(call).toMatchObject({ url: URL_A, method: "POST", type: "application/json" });
    expect(call?.body).toMatchObject({
      data_id: dataId,
      scan_results: { progress_percentage: 100, scan_all_result_i: 1 },
    });
    await sim.close();
    expect(sim.cluster.callbacks[0]).toMatchObject({
      dataId,
      delivery: "sent",
      statuses: [204],
      calledUrls: [URL_A],
    });
  });

  it("calls back as soon as each analysis is finished, never with an unfinished result", async () => {
    const { sim, cluster, receiver } = await setup({});
    await using _ = sim;
    const ids = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        upload(cluster, `file ${i}`, {
          callbackurl: `${URL_A.slice(0, -2)}${String(i).padStart(2, "0")}`,
        }),
      ),
    );
    await receiver.count(ids.length);
    for (const call of receiver.received) {
      expect(call.body).toMatchObject({ scan_results: { progress_percentage: 100 } });
    }
  });

  it("draws losses, duplicates, wrong tokens and tampered bodies from the seed", async () => {
    const { sim, cluster, receiver } = await setup({
      lossRate: 0.25,
      duplicateRate: 0.25,
      wrongTokenRate: 0.25,
      tamperRate: 0.25,
    });
    await using _ = sim;
    for (let i = 0; i < 40; i++) await upload(cluster, EICAR, { callbackurl: URL_A });
    const records = sim.cluster.callbacks;
    const lost = records.filter((r) => r.delivery === "lost").length;
    await receiver.count(records.length - lost);
    // close() waits for the callbacks in flight (the second of a duplicate).
    await sim.close();
    const sent = records.filter((r) => r.delivery === "sent");
    expect(lost).toBeGreaterThan(0);
    expect(sent.length).toBe(records.length - lost);
    expect(sent.some((r) => r.calledUrls.length === 2)).toBe(true);
    expect(receiver.received.some((r) => r.url !== URL_A)).toBe(true);
    expect(receiver.received.length).toBe(sent.reduce((n, r) => n + r.calledUrls.length, 0));
    // A tampered body claims clean although the file is EICAR.
    const tampered = records.find((r) => r.tampered && r.delivery === "sent");
    const body = receiver.received.find((r) => r.body.data_id === tampered?.dataId)?.body;
    expect(body?.scan_results).toMatchObject({ scan_all_result_i: 0 });
    expect(sim.cluster.file(tampered?.dataId ?? "")?.state.code).toBe(1);
  });

  it("cancels pending callbacks on close: nothing is sent afterwards", async () => {
    const { sim, cluster, receiver } = await setup({ delayMs: 60_000 });
    await upload(cluster, "clean", { callbackurl: URL_A });
    await sim.close();
    expect(sim.cluster.callbacks[0]?.delivery).toBe("pending");
    expect(receiver.received).toEqual([]);
  });

  it("records a callback whose receiver cannot be reached as failed", async () => {
    let called: () => void = () => {};
    const attempted = new Promise<void>((resolve) => (called = resolve));
    const sim = createSimulator({
      cluster: {
        scanDurationMs: 1,
        callbacks: {
          fetch: async () => {
            called();
            throw new TypeError("fetch failed");
          },
        },
      },
    });
    const cluster = await clusterClient(sim);
    await upload(cluster, "clean", { callbackurl: URL_A });
    await attempted;
    await sim.close();
    expect(sim.cluster.callbacks[0]).toMatchObject({ delivery: "failed", statuses: [0] });
  });

  it("sends over real HTTP by default, and does not follow a redirect", async () => {
    const seen: Array<{ path: string; type: string | undefined; body: string }> = [];
    let done: () => void = () => {};
    const called = new Promise<void>((resolve) => (done = resolve));
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        seen.push({ path: req.url ?? "", type: req.headers["content-type"], body });
        res.writeHead(302, { location: "http://elsewhere.test/steal" }).end();
        done();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const sim = createSimulator({ cluster: { scanDurationMs: 1, callbacks: {} } });
    try {
      const cluster = await clusterClient(sim);
      const dataId = await upload(cluster, "clean", {
        callbackurl: `http://127.0.0.1:${port}/hook/abc`,
      });
      await called;
      // The simulator records the answer once it has read it.
      await vi.waitFor(() => expect(sim.cluster.callbacks[0]?.delivery).not.toBe("pending"));
      await sim.close();
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ path: "/hook/abc", type: "application/json" });
      expect(JSON.parse(seen[0]?.body ?? "{}")).toMatchObject({ data_id: dataId });
      expect(sim.cluster.callbacks[0]).toMatchObject({ delivery: "sent", statuses: [302] });
    } finally {
      await sim.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

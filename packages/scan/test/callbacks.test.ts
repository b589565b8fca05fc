// scanFile / scanFiles with a callback receiver, against the simulator calling
// back in-process: delivered, late, lost, duplicated and forged callbacks all
// end with the gateway's own verdict, and nothing is left rejecting unhandled.
import type { CallbackOptions } from "@mdkit/simulator";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type CallbackPatience,
  type CallbackReceiver,
  createCallbackHandler,
  InvalidInputError,
  scanFile,
  scanFiles,
} from "../src/index.js";
import { bytes, EICAR, setup } from "./helpers.js";

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled.length = 0;
  process.on("unhandledRejection", onUnhandled);
});
afterEach(() => {
  process.off("unhandledRejection", onUnhandled);
  expect(unhandled).toEqual([]);
});

/** Patience that hands over to polling within a few tens of ms, so lost callbacks cost little time. */
const QUICK: CallbackPatience = { graceMs: 30, slowPollIntervalMs: 20, slowPolls: 2 };
/** Patience that would outlast the test's deadline: only a callback can finish the scan in time. */
const ENDLESS: CallbackPatience = { graceMs: 60_000, slowPollIntervalMs: 60_000, slowPolls: 1 };

/** A receiver, and a simulator calling it back in-process. */
function withCallbacks(
  callbacks: CallbackOptions,
  patience: CallbackPatience,
  receiver: CallbackReceiver = createCallbackHandler({
    publicUrl: "http://callbacks.test/hooks",
    patience,
  }),
) {
  const env = setup({
    cluster: { scanDurationMs: 20, callbacks: { fetch: receiver.fetch, ...callbacks } },
  });
  return {
    ...env,
    receiver,
    async [Symbol.asyncDispose]() {
      await receiver.close();
      await env.sim.close();
    },
  };
}

const eicar = () => new File([bytes(EICAR)], "eicar.com");

describe("scanFile with callbacks", () => {
  it("delivered: the callback wakes the scan, one GET confirms, no poll before", async () => {
    await using env = withCallbacks({}, ENDLESS);
    const infected = await scanFile(env.cluster, eicar(), {
      callbacks: env.receiver,
      hashFirst: false,
      timeoutMs: 5_000,
    });
    const clean = await scanFile(env.cluster, new Blob(["fine"]), {
      callbacks: env.receiver,
      hashFirst: false,
      timeoutMs: 5_000,
    });
    expect(infected.verdict).toBe("infected");
    expect(clean.verdict).toBe("clean");
    expect(env.sim.state.requestCount("getAnalysisResult")).toBe(2);
    expect(env.sim.cluster.callbacks.map((c) => c.statuses)).toEqual([[200], [200]]);
    // Each callback URL is the receiver's, with a token of its own; no credential in it.
    const [a, b] = env.sim.cluster.callbacks.map((c) => c.url);
    expect(a).toMatch(/^http:\/\/callbacks\.test\/hooks\/[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain("scan-test-key");
    expect(env.receiver.stats).toMatchObject({ accepted: 2, outstanding: 0 });
  });

  it("late: slow polls find the result; the late callback is then no longer waited for", async () => {
    await using env = withCallbacks({ delayMs: 10_000 }, QUICK);
    const result = await scanFile(env.cluster, eicar(), {
      callbacks: env.receiver,
      hashFirst: false,
    });
    expect(result.verdict).toBe("infected");
    expect(env.sim.state.requestCount("getAnalysisResult")).toBeGreaterThanOrEqual(1);
    expect(env.receiver.stats.outstanding).toBe(0);
  });

  it("lost: polling takes over; after 3 misses in a row the receiver counts as unreachable", async () => {
    await using env = withCallbacks({ lossRate: 1 }, QUICK);
    for (let i = 0; i < 3; i++) {
      const result = await scanFile(env.cluster, eicar(), {
        callbacks: env.receiver,
        hashFirst: false,
      });
      expect(result.verdict).toBe("infected");
    }
    expect(env.receiver.reachable).toBe(false);
    expect(env.sim.cluster.callbacks.every((c) => c.delivery === "lost")).toBe(true);
  });

  it("duplicated: one verdict, one confirmation, the second call changes nothing", async () => {
    await using env = withCallbacks({ duplicateRate: 1 }, ENDLESS);
    const result = await scanFile(env.cluster, eicar(), {
      callbacks: env.receiver,
      hashFirst: false,
      timeoutMs: 5_000,
    });
    expect(result.verdict).toBe("infected");
    await env.sim.close();
    const [record] = env.sim.cluster.callbacks;
    expect(record?.calledUrls).toHaveLength(2);
    expect(record?.statuses[0]).toBe(200);
    // The second comes either while the first is being confirmed (200) or after (404: forgotten).
    expect([200, 404]).toContain(record?.statuses[1]);
    expect(env.sim.state.requestCount("getAnalysisResult")).toBe(1);
  });

  it("forged, wrong token: refused with 404 unread; polling gives the true verdict", async () => {
    await using env = withCallbacks({ wrongTokenRate: 1 }, QUICK);
    const result = await scanFile(env.cluster, eicar(), {
      callbacks: env.receiver,
      hashFirst: false,
    });
    expect(result.verdict).toBe("infected");
    await env.sim.close();
    expect(env.sim.cluster.callbacks[0]?.statuses).toEqual([404]);
    expect(env.receiver.stats.unknown).toBe(1);
  });

  it("forged, right token with a body claiming clean: the verdict is the gateway's (infected)", async () => {
    await using env = withCallbacks({ tamperRate: 1 }, ENDLESS);
    const result = await scanFile(env.cluster, eicar(), {
      callbacks: env.receiver,
      hashFirst: false,
      timeoutMs: 5_000,
    });
    expect(env.sim.cluster.callbacks[0]?.tampered).toBe(true);
    expect(result.verdict).toBe("infected");
    expect(result.clean).toBe(false);
    expect(env.sim.state.requestCount("getAnalysisResult")).toBe(1);
  });

  it("forged early, right token: the confirming GET finds the analysis unfinished and polling goes on", async () => {
    const receiver = createCallbackHandler({
      publicUrl: "http://callbacks.test/hooks",
      patience: ENDLESS,
    });
    // Callbacks off in the simulator: the only call is the forger's, as soon as the upload is sent.
    const env = setup({ cluster: { scanDurationMs: 200 } }, (fetch) => async (request) => {
      const url = request.headers.get("callbackurl");
      const response = await fetch(request);
      if (url) {
        const forged = await receiver.fetch(
          new Request(url, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              scan_results: { scan_all_result_i: 0, progress_percentage: 100 },
            }),
          }),
        );
        expect(forged.status).toBe(200);
      }
      return response;
    });
    await using _ = env;
    const result = await scanFile(env.cluster, eicar(), {
      callbacks: receiver,
      hashFirst: false,
      timeoutMs: 5_000,
    });
    expect(result.verdict).toBe("infected");
    expect(env.sim.state.requestCount("getAnalysisResult")).toBeGreaterThan(1);
    await receiver.close();
  });

  it("a callback gives the file's place on the gateway back before the confirming GET", async () => {
    await using env = withCallbacks({}, ENDLESS);
    // A limiter that notes, when the place comes back, how many results were fetched by then.
    const fetchedAtRelease: number[] = [];
    const limiter = {
      acquire: async () => () => {
        fetchedAtRelease.push(env.sim.state.requestCount("getAnalysisResult"));
      },
      busy() {},
      success() {},
    };
    const result = await scanFile(env.cluster, eicar(), {
      callbacks: env.receiver,
      limiter,
      hashFirst: false,
      timeoutMs: 5_000,
    });
    expect(result.verdict).toBe("infected");
    // Released once, as the callback came: the gateway was done, no result fetched yet.
    expect(fetchedAtRelease).toEqual([0]);
    expect(env.sim.state.requestCount("getAnalysisResult")).toBe(1);
  });

  it("forged, right token naming another data_id: refused (400) and polled normally", async () => {
    const receiver = createCallbackHandler({
      publicUrl: "http://callbacks.test/hooks",
      patience: ENDLESS,
    });
    // The gateway's callback, rewritten on its way to name another submission.
    const rewrite = async (request: Request) => {
      const body = (await request.json()) as Record<string, unknown>;
      return receiver.fetch(
        new Request(request.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ ...body, data_id: "another-submission" }),
        }),
      );
    };
    await using env = withCallbacks({ fetch: rewrite }, ENDLESS, receiver);
    const result = await scanFile(env.cluster, eicar(), {
      callbacks: receiver,
      hashFirst: false,
      timeoutMs: 5_000,
    });
    expect(result.verdict).toBe("infected");
    expect(env.sim.cluster.callbacks[0]?.statuses).toEqual([400]);
    expect(receiver.stats).toMatchObject({ rejected: 1, accepted: 0 });
  });

  it("a receiver closed while a scan waits hands over to polling", async () => {
    await using env = withCallbacks({ delayMs: 60_000 }, ENDLESS);
    const scan = scanFile(env.cluster, eicar(), {
      callbacks: env.receiver,
      hashFirst: false,
      timeoutMs: 5_000,
      onProgress: (p) => {
        if (p.phase === "upload") void env.receiver.close();
      },
    });
    expect((await scan).verdict).toBe("infected");
    expect(env.receiver.subscribe()).toBeUndefined();
  });

  it("refuses a callbackUrl of the caller's own beside a receiver", async () => {
    await using env = withCallbacks({}, ENDLESS);
    const error = await scanFile(env.cluster, eicar(), {
      callbacks: env.receiver,
      callbackUrl: "http://elsewhere.test/hook",
    }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(env.sim.state.requestCount("analyzeFile")).toBe(0);
  });
});

describe("scanFiles with callbacks", () => {
  it("every file's verdict, one GET per file when callbacks arrive", async () => {
    await using env = withCallbacks({}, ENDLESS);
    const files = Array.from({ length: 24 }, (_, i) =>
      i % 3 === 0
        ? new File([bytes(`${EICAR}`)], `e${i}`)
        : new File([bytes(`clean ${i}`)], `c${i}`),
    );
    const verdicts = new Map<string, string>();
    for await (const item of scanFiles(env.cluster, files, {
      callbacks: env.receiver,
      hashFirst: false,
      timeoutMs: 5_000,
    })) {
      expect(item.ok).toBe(true);
      if (item.ok) verdicts.set(item.result.name ?? "", item.result.verdict);
    }
    expect(verdicts.size).toBe(24);
    for (const [name, verdict] of verdicts) {
      expect(verdict).toBe(name.startsWith("e") ? "infected" : "clean");
    }
    expect(env.sim.state.requestCount("getAnalysisResult")).toBe(24);
  });

  it("with 30 % of callbacks lost, no verdict is lost", async () => {
    await using env = withCallbacks({ lossRate: 0.3, duplicateRate: 0.2 }, QUICK);
    const files = Array.from({ length: 30 }, (_, i) => new File([bytes(`file ${i}`)], `f${i}`));
    let ok = 0;
    for await (const item of scanFiles(env.cluster, files, {
      callbacks: env.receiver,
      hashFirst: false,
    })) {
      if (item.ok && item.result.verdict === "clean") ok++;
    }
    expect(ok).toBe(30);
    expect(env.sim.cluster.callbacks.some((c) => c.delivery === "lost")).toBe(true);
  });
});

/**
 * An attacker who can reach the callback receiver: a forged "clean" callback
 * for EICAR (with the right token, before and after the analysis ends), an
 * oversized body, a body trickling in, and a flood of callbacks with guessed
 * tokens. The verdict is always the gateway's own (infected), memory stays
 * bounded, and every scan ends within its deadline.
 */
import { request as httpRequest } from "node:http";
import { createClusterClient } from "@mdkit/cluster";
import { createCallbackReceiver, type NodeCallbackReceiver, scanFile } from "@mdkit/scan/node";
import { createSimulator, EICAR_TEST_STRING, type Simulator } from "@mdkit/simulator";
import { hostileCase } from "@mdkit/testing/hostile";
import { describe, expect, it } from "vitest";

const APIKEY = "hostile-callbacks-key";
const eicar = () => new File([EICAR_TEST_STRING], "eicar.com");
/** What a forger claims: a finished, clean analysis. */
const CLEAN_CLAIM = {
  scan_results: {
    scan_all_result_i: 0,
    scan_all_result_a: "No Threat Detected",
    progress_percentage: 100,
  },
  process_info: { result: "Allowed", progress_percentage: 100 },
};

/** A simulator calling back over HTTP, a receiver, and a client that reports each upload's callback URL. */
async function gatewayWithReceiver(
  onCallbackUrl: (url: string, receiver: NodeCallbackReceiver) => void,
  options: { scanDurationMs?: number; callbacks?: boolean } = {},
) {
  const receiver = await createCallbackReceiver({
    bodyTimeoutMs: 500,
    maxBodyBytes: 256 * 1024,
    patience: { graceMs: 200, slowPollIntervalMs: 100, slowPolls: 2 },
  });
  const sim: Simulator = createSimulator({
    cluster: {
      scanDurationMs: options.scanDurationMs ?? 300,
      apiKeys: [APIKEY],
      callbacks: options.callbacks === false ? false : {},
    },
  });
  const cluster = createClusterClient({
    baseUrl: "http://gateway.test",
    auth: () => ({ apikey: APIKEY }),
    fetch: async (request) => {
      const url = request.headers.get("callbackurl");
      const response = await sim.fetch(request);
      if (url) onCallbackUrl(url, receiver);
      return response;
    },
  });
  return {
    sim,
    cluster,
    receiver,
    async [Symbol.asyncDispose]() {
      await receiver.close();
      await sim.close();
    },
  };
}

const postJson = (url: string, body: unknown) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

/** Streams `total` bytes at `chunk` bytes per `everyMs`, without a Content-Length; resolves with the status or "closed". */
function trickle(url: string, total: number, chunk: number, everyMs: number) {
  return new Promise<number | "closed">((resolve) => {
    const req = httpRequest(url, {
      method: "POST",
      headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
    });
    let sent = 0;
    const timer = setInterval(() => {
      if (sent >= total || req.destroyed) {
        clearInterval(timer);
        if (!req.destroyed) req.end();
        return;
      }
      sent += chunk;
      req.write(" ".repeat(chunk));
    }, everyMs);
    req.on("response", (res) => {
      clearInterval(timer);
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", () => {
      clearInterval(timer);
      resolve("closed");
    });
  });
}

describe("hostile: callbacks", () => {
  it("a forged clean callback for EICAR, with the right token, before and after the end: infected", {
    timeout: 20_000,
  }, async () => {
    await hostileCase(
      "callbacks: forged clean callback (right token)",
      { deadlineMs: 5_000 },
      async (probe) => {
        const forged: number[] = [];
        const forging: Promise<void>[] = [];
        const forge = (url: string) =>
          postJson(url, CLEAN_CLAIM).then(
            (r) => void forged.push(r.status),
            () => void forged.push(0),
          );
        await using env = await gatewayWithReceiver((url) => {
          // The attacker learnt the URL (a proxy log): it calls at once, and again at the end.
          forging.push(forge(url));
          forging.push(new Promise((resolve) => setTimeout(resolve, 300)).then(() => forge(url)));
        });
        const result = await scanFile(env.cluster, eicar(), {
          callbacks: env.receiver,
          hashFirst: false,
          timeoutMs: 5_000,
        });
        probe.output("result", result);
        probe.infected(result.clean);
        expect(result.verdict).toBe("infected");
        expect(forged.length).toBeGreaterThan(0);
      },
    );
  });

  it("an oversized callback body is refused (413) after at most the limit; the scan still ends infected", {
    timeout: 20_000,
  }, async () => {
    await hostileCase("callbacks: oversized body", { deadlineMs: 5_000 }, async (probe) => {
      const statuses: Array<number | "closed"> = [];
      const sending: Promise<void>[] = [];
      await using env = await gatewayWithReceiver((url) => {
        // 64 MiB announced in chunks, no Content-Length: refused once 256 KiB are in.
        sending.push(
          trickle(url, 64 * 1024 * 1024, 64 * 1024, 1).then((s) => {
            statuses.push(s);
          }),
        );
      });
      const before = process.memoryUsage().rss;
      const result = await scanFile(env.cluster, eicar(), {
        callbacks: env.receiver,
        hashFirst: false,
        timeoutMs: 5_000,
      });
      await Promise.all(sending);
      probe.output("result", result);
      probe.infected(result.clean);
      probe.peakRss((process.memoryUsage().rss - before) / 1024 / 1024);
      expect(result.verdict).toBe("infected");
      expect([413, "closed"]).toContain(statuses[0]);
      expect(env.receiver.stats.rejected).toBeGreaterThanOrEqual(1);
    });
  });

  it("a callback body trickling in ends with 408 at bodyTimeoutMs; the scan ends infected", {
    timeout: 20_000,
  }, async () => {
    await hostileCase("callbacks: slow body", { deadlineMs: 5_000 }, async (probe) => {
      const statuses: Array<number | "closed"> = [];
      const sending: Promise<void>[] = [];
      await using env = await gatewayWithReceiver((url) => {
        sending.push(
          trickle(url, 10_000, 1, 50).then((s) => {
            statuses.push(s);
          }),
        );
      });
      const result = await scanFile(env.cluster, eicar(), {
        callbacks: env.receiver,
        hashFirst: false,
        timeoutMs: 5_000,
      });
      await Promise.all(sending);
      probe.output("result", result);
      probe.infected(result.clean);
      expect(result.verdict).toBe("infected");
      expect(statuses).toEqual([408]);
    });
  });

  it("a flood of callbacks with guessed tokens wakes nothing and holds nothing; the scan ends infected", {
    timeout: 30_000,
  }, async () => {
    await hostileCase(
      "callbacks: flood of guessed tokens",
      { deadlineMs: 10_000 },
      async (probe) => {
        await using env = await gatewayWithReceiver(() => {}, {
          callbacks: false,
          scanDurationMs: 200,
        });
        const scan = scanFile(env.cluster, eicar(), {
          callbacks: env.receiver,
          hashFirst: false,
          timeoutMs: 10_000,
        });
        const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        const guess = () =>
          Array.from({ length: 43 }, () => alphabet[Math.floor(Math.random() * 64)]).join("");
        // 2,000 in-process through the fetch handler, 200 over HTTP.
        const inProcess = Array.from({ length: 2_000 }, () =>
          env.receiver
            .fetch(
              new Request(`${env.receiver.url}/${guess()}`, {
                method: "POST",
                headers: { "content-type": "application/json" },
                body: JSON.stringify(CLEAN_CLAIM),
              }),
            )
            .then((r) => r.status),
        );
        const overHttp = Array.from({ length: 200 }, () =>
          postJson(`${env.receiver.url}/${guess()}`, CLEAN_CLAIM).then((r) => r.status),
        );
        const statuses = await Promise.all([...inProcess, ...overHttp]);
        const result = await scan;
        probe.output("result", result);
        probe.infected(result.clean);
        expect(result.verdict).toBe("infected");
        expect(new Set(statuses)).toEqual(new Set([404]));
        expect(env.receiver.stats).toMatchObject({ unknown: 2_200, accepted: 0, outstanding: 0 });
      },
    );
  });
});

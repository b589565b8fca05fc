// Memory: a 1 GiB upload over HTTP must not grow the process. Slow, so it
// runs only with MDKIT_HEAVY=1 (the same scenario is a benchmark in bench/).
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { createSimulator } from "../src/index.js";
import { clusterClient, EICAR, login, result, testClock } from "./cluster-helpers.js";

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** Sends `total` bytes of generated chunks (one reused buffer) with a known Content-Length. */
function send(
  url: string,
  apikey: string,
  total: number,
): Promise<{ status: number; body: string }> {
  const block = Buffer.alloc(MiB, "mdkit-simulator-memory-test ");
  const last = Buffer.from(block);
  last.write(EICAR, MiB - EICAR.length - 1);
  return new Promise((resolve, reject) => {
    const req = request(`${url}/file`, {
      method: "POST",
      headers: { apikey, "Content-Length": String(total), filename: "big.bin" },
    });
    req.on("error", reject);
    req.on("response", (res) => {
      let body = "";
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        const chunk = sent + MiB >= total ? last : block;
        sent += chunk.byteLength;
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

describe.runIf(process.env.MDKIT_HEAVY === "1")("cluster: memory (MDKIT_HEAVY=1)", () => {
  it("streams 1 GiB into POST /file over HTTP with RSS growing less than 100 MB", {
    timeout: 300_000,
  }, async () => {
    const clock = testClock();
    await using sim = createSimulator({ now: clock.now, cluster: { scanDurationMs: 0 } });
    const server = await sim.listen();
    const apikey = await login(sim);
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    try {
      const { status, body } = await send(server.url, apikey, GiB);
      expect(status).toBe(200);
      const dataId = (JSON.parse(body) as { data_id: string }).data_id;
      peak = Math.max(peak, process.memoryUsage().rss);
      expect(sim.state.bytesReceived).toBe(GiB);
      const cluster = await clusterClient(sim);
      const r = await result(cluster, dataId);
      expect(r.file_info?.file_size).toBe(GiB);
      expect(r.scan_results?.scan_all_result_i).toBe(1);
    } finally {
      clearInterval(sampler);
    }
    const growthMB = (peak - baseline) / 1e6;
    console.log(
      `RSS baseline ${(baseline / 1e6).toFixed(0)} MB, peak growth ${growthMB.toFixed(1)} MB`,
    );
    expect(growthMB).toBeLessThan(100);
  });
});

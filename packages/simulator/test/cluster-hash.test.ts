// GET /hash/{hash}: every hash kind, any case, and each header.
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { createSimulator } from "../src/index.js";
import { clusterClient, EICAR, testClock, upload } from "./cluster-helpers.js";

const EICAR_MD5 = "44d88612fea8a8f36de82e1278abb02f";
const EICAR_SHA1 = "3395856ce81f2b7382dee72602f798b642f14140";
const EICAR_SHA256 = "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f";

describe("cluster: hash lookup", () => {
  it("finds finished files by MD5, SHA-1 and SHA-256 in any case, including archive children", async () => {
    const clock = testClock();
    await using sim = createSimulator({
      now: clock.now,
      cluster: { scanDurationMs: 100, sessionTtlMs: 24 * 3_600_000 },
    });
    const cluster = await clusterClient(sim);
    const lookup = async (hash: string, header: Record<string, string | number | boolean> = {}) => {
      const { data, response } = await cluster.GET("/hash/{hash}", {
        params: { path: { hash }, header },
      });
      expect(response.status).toBe(200);
      return data as Record<string, unknown> & { data_id?: string };
    };

    const archive = await upload(cluster, zipSync({ "eicar.com": strToU8(EICAR) }), {
      rule: "strict",
    });
    // Unfinished: Not Found unless include-inprogress.
    expect(await lookup(EICAR_SHA256)).toEqual({ [EICAR_SHA256]: "Not Found" });
    const running = await lookup(EICAR_SHA256, { "include-inprogress": true });
    expect(sim.cluster.file(running.data_id ?? "")?.parentId).toBe(archive);
    clock.advance(100);

    for (const hash of [EICAR_MD5, EICAR_SHA1, EICAR_SHA256, EICAR_SHA256.toUpperCase()]) {
      const found = await lookup(hash);
      expect(found.data_id).toBe(running.data_id);
    }
    // selfonly: only uploads, not files extracted from archives.
    expect(await lookup(EICAR_SHA256, { selfonly: true })).toEqual({ [EICAR_SHA256]: "Not Found" });
    const direct = await upload(cluster, EICAR, { rule: "multiscan" });
    // Unfinished direct upload: the latest finished result still wins with include-inprogress.
    expect((await lookup(EICAR_SHA256, { "include-inprogress": true })).data_id).toBe(
      running.data_id,
    );
    clock.advance(100);
    expect((await lookup(EICAR_SHA256)).data_id).toBe(direct);
    expect((await lookup(EICAR_SHA256, { selfonly: true })).data_id).toBe(direct);
    // rule: only results of that rule.
    expect((await lookup(EICAR_SHA256, { rule: "strict" })).data_id).toBe(running.data_id);
    expect(await lookup(EICAR_SHA256, { rule: "sanitize" })).toEqual({
      [EICAR_SHA256]: "Not Found",
    });
    // timerange: hours back from now.
    clock.advance(3 * 3_600_000);
    expect(await lookup(EICAR_SHA256, { timerange: 2 })).toEqual({ [EICAR_SHA256]: "Not Found" });
    expect((await lookup(EICAR_SHA256, { timerange: 4 })).data_id).toBe(direct);
    expect((await lookup(EICAR_SHA256, { timerange: 0 })).data_id).toBe(direct);
  });

  it("answers Not Found for unknown hashes and 404 for malformed ones", async () => {
    await using sim = createSimulator();
    const cluster = await clusterClient(sim);
    const unknown = "ab".repeat(64);
    const { data } = await cluster.GET("/hash/{hash}", { params: { path: { hash: unknown } } });
    expect(data).toEqual({ [unknown]: "Not Found" });
    const bad = await cluster.GET("/hash/{hash}", { params: { path: { hash: "xyz" } } });
    expect(bad.response.status).toBe(404);
    expect(bad.error).toEqual({ err: "Invalid hash format" });
  });

  it("does not offer a cancelled result", async () => {
    const clock = testClock();
    await using sim = createSimulator({ now: clock.now, cluster: { scanDurationMs: 100 } });
    const cluster = await clusterClient(sim);
    const dataId = await upload(cluster, EICAR);
    await cluster.POST("/file/{data_id}/cancel", { params: { path: { data_id: dataId } } });
    clock.advance(100);
    const { data } = await cluster.GET("/hash/{hash}", {
      params: { path: { hash: EICAR_SHA256 }, header: { "include-inprogress": true } },
    });
    expect(data).toEqual({ [EICAR_SHA256]: "Not Found" });
  });
});

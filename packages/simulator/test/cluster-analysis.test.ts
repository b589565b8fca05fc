// Analysis of uploads: simulated processing time, verdicts by content,
// engines, cancellation, unknown ids.
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { createSimulator } from "../src/index.js";
import { clusterClient, EICAR, MARKER, result, testClock, upload } from "./cluster-helpers.js";

describe("cluster: analysis", () => {
  it("takes simulated time: progress rises with the clock, then the result is final", async () => {
    const clock = testClock();
    await using sim = createSimulator({
      now: clock.now,
      cluster: { scanDurationMs: 1000, scanMsPerMiB: 1000 },
    });
    const cluster = await clusterClient(sim);
    const dataId = await upload(cluster, new Uint8Array(1024 * 1024).fill(65), {
      filename: encodeURIComponent("résumé 2026.txt"),
    });
    // 1000 ms + 1000 ms per MiB = 2000 ms.
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await result(cluster, dataId);
      expect(r.scan_results?.scan_all_result_i).toBe(255);
      expect(r.process_info?.result).toBe("Processing");
      expect(r.process_info?.progress_percentage).toBe(r.scan_results?.progress_percentage);
      seen.push(r.scan_results?.progress_percentage ?? -1);
      clock.advance(500);
    }
    expect(seen).toEqual([0, 25, 50, 75]);
    clock.advance(10);
    const done = await result(cluster, dataId);
    expect(done.scan_results?.progress_percentage).toBe(100);
    expect(done.process_info?.progress_percentage).toBe(100);
    expect(done.scan_results?.scan_all_result_i).toBe(0);
    expect(done.scan_results?.scan_all_result_a).toBe("No Threat Detected");
    expect(done.process_info?.result).toBe("Allowed");
    expect(done.file_info?.display_name).toBe("résumé 2026.txt");
    expect(done.file_info?.file_size).toBe(1024 * 1024);
    expect(done.file_info?.file_type).toBe("text/plain");
    expect(done.scan_results?.total_time).toBe(2000);
  });

  it("finds EICAR, even split across chunks, and reports it on every engine", async () => {
    const clock = testClock();
    await using sim = createSimulator({ now: clock.now, cluster: { scanDurationMs: 100 } });
    const cluster = await clusterClient(sim);
    const text = `${"a".repeat(70_000)}${EICAR}${"b".repeat(10)}`;
    const bytes = new TextEncoder().encode(text);
    const cut = 70_000 + 20; // inside the EICAR string
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, cut));
        controller.enqueue(bytes.subarray(cut));
        controller.close();
      },
    });
    const { data_id } = await (async () => {
      const { data, error } = await cluster.POST("/file", {
        body,
        params: { header: { "Content-Length": bytes.byteLength, filename: "eicar.txt" } },
      });
      if (!data) throw new Error(JSON.stringify(error));
      return data;
    })();
    clock.advance(100);
    const r = await result(cluster, data_id);
    expect(r.scan_results?.scan_all_result_i).toBe(1);
    expect(r.scan_results?.scan_all_result_a).toBe("Infected");
    expect(r.process_info?.result).toBe("Blocked");
    expect(r.process_info?.blocked_reason).toBe("Infected");
    const engines = Object.values(r.scan_results?.scan_details ?? {});
    expect(engines.length).toBe(r.scan_results?.total_avs);
    expect(engines.length).toBeGreaterThanOrEqual(2);
    for (const engine of engines) {
      expect(engine.scan_result_i).toBe(1);
      expect(engine.threat_found).toBe("EICAR-Test-File (not a virus)");
    }
    expect(sim.state.bytesReceived).toBe(bytes.byteLength);
  });

  it("flags the suspicious marker and leaves other content clean", async () => {
    const clock = testClock();
    await using sim = createSimulator({ now: clock.now, cluster: { scanDurationMs: 10 } });
    const cluster = await clusterClient(sim);
    const suspicious = await upload(cluster, `header ${MARKER} trailer`);
    const clean = await upload(cluster, "nothing to see here");
    clock.advance(10);
    const s = await result(cluster, suspicious);
    expect(s.scan_results?.scan_all_result_i).toBe(2);
    expect(s.process_info?.result).toBe("Blocked");
    expect(s.process_info?.blocked_reason).toBe("Suspicious");
    const flagged = Object.values(s.scan_results?.scan_details ?? {}).filter(
      (e) => e.scan_result_i === 2,
    );
    expect(flagged.length).toBeGreaterThanOrEqual(1);
    const c = await result(cluster, clean);
    expect(c.scan_results?.scan_all_result_i).toBe(0);
    expect(c.process_info?.blocked_reason).toBe("");
    expect(
      Object.values(c.scan_results?.scan_details ?? {}).every((e) => e.scan_result_i === 0),
    ).toBe(true);
  });

  it("lists only the engines that are done while in progress", async () => {
    const clock = testClock();
    await using sim = createSimulator({ now: clock.now, cluster: { scanDurationMs: 900 } });
    const cluster = await clusterClient(sim);
    const dataId = await upload(cluster, EICAR);
    expect(Object.keys((await result(cluster, dataId)).scan_results?.scan_details ?? {})).toEqual(
      [],
    );
    clock.advance(350);
    const partial = await result(cluster, dataId);
    expect(Object.keys(partial.scan_results?.scan_details ?? {}).length).toBe(1);
    expect(partial.scan_results?.scan_all_result_i).toBe(255);
  });

  it("cancels an analysis: code 19, progress 100, never clean; unknown ids are 404", async () => {
    const clock = testClock();
    await using sim = createSimulator({ now: clock.now, cluster: { scanDurationMs: 1000 } });
    const cluster = await clusterClient(sim);
    const dataId = await upload(cluster, "some content");
    clock.advance(400);
    const { data, response } = await cluster.POST("/file/{data_id}/cancel", {
      params: { path: { data_id: dataId } },
    });
    expect(response.status).toBe(200);
    expect(data).toEqual({ [dataId]: "cancelled" });
    clock.advance(1000);
    const r = await result(cluster, dataId);
    expect(r.scan_results?.scan_all_result_i).toBe(19);
    expect(r.scan_results?.progress_percentage).toBe(100);
    expect(r.process_info?.result).toBe("Blocked");
    expect(sim.cluster.file(dataId)?.state.cancelled).toBe(true);

    const unknown = await cluster.POST("/file/{data_id}/cancel", {
      params: { path: { data_id: "0".repeat(32) } },
    });
    expect(unknown.response.status).toBe(404);
  });

  it("always carries process_info.post_processing, with empty values when nothing ran", async () => {
    const clock = testClock();
    await using sim = createSimulator({ now: clock.now, cluster: { scanDurationMs: 100 } });
    const cluster = await clusterClient(sim);
    const empty = {
      actions_failed: "",
      actions_ran: "",
      converted_destination: "",
      converted_to: "",
      copy_move_destination: "",
    };
    const clean = await upload(cluster, "clean content");
    const infected = await upload(cluster, EICAR);
    const archive = await upload(cluster, zipSync({ "eicar.com": strToU8(EICAR) }), {
      rule: "sanitize",
    });
    const cancelled = await upload(cluster, "to cancel", { rule: "sanitize" });
    await cluster.POST("/file/{data_id}/cancel", { params: { path: { data_id: cancelled } } });
    expect((await result(cluster, clean)).process_info?.post_processing).toEqual(empty);
    clock.advance(100);
    const child = (await result(cluster, archive)).extracted_files?.worst_data_id as string;
    for (const dataId of [clean, infected, child, cancelled]) {
      expect((await result(cluster, dataId)).process_info?.post_processing, dataId).toEqual(empty);
    }
    expect((await result(cluster, archive)).process_info?.post_processing?.actions_ran).toBe(
      "Sanitized",
    );
  });

  it("answers an unknown data_id with 200 and a Not Found object", async () => {
    await using sim = createSimulator();
    const cluster = await clusterClient(sim);
    const { data, response } = await cluster.GET("/file/{data_id}", {
      params: { path: { data_id: "feedface" } },
    });
    expect(response.status).toBe(200);
    expect(data).toEqual({ feedface: "Not Found" });
  });

  it("is deterministic for a seed: the same calls give the same ids", async () => {
    const ids = async (seed: number) => {
      await using sim = createSimulator({ seed, now: testClock().now });
      const cluster = await clusterClient(sim);
      return [await upload(cluster, "a"), await upload(cluster, "b")];
    };
    expect(await ids(5)).toEqual(await ids(5));
    expect(await ids(5)).not.toEqual(await ids(6));
  });
});

// Results of finished files are answered from their JSON made once; what a
// user can observe must not change: the same answer on every poll, the page
// asked for, a clock moved back, a cancellation made after moving it back.
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { createSimulator } from "../src/index.js";
import { clusterClient, EICAR, result, upload } from "./cluster-helpers.js";

/** A clock a test sets to any time, backwards included. */
function settableClock(start = Date.UTC(2026, 0, 1)) {
  let t = start;
  return { now: () => t, set: (ms: number) => (t = ms), start };
}

describe("cluster: results of finished files", () => {
  it("answers every poll and hash lookup of a finished file with the same result", async () => {
    const clock = settableClock();
    await using sim = createSimulator({ now: clock.now, cluster: { scanDurationMs: 100 } });
    const cluster = await clusterClient(sim);
    const dataId = await upload(cluster, EICAR, { filename: "eicar.com" });
    clock.set(clock.start + 100);

    const first = await result(cluster, dataId);
    expect(first.scan_results?.scan_all_result_i).toBe(1);
    expect(first.scan_results?.progress_percentage).toBe(100);
    clock.set(clock.start + 5_000);
    expect(await result(cluster, dataId)).toEqual(first);
    const sha256 = first.file_info?.sha256 ?? "";
    const lookup = await cluster.GET("/hash/{hash}", { params: { path: { hash: sha256 } } });
    expect(lookup.data).toEqual(first);
  });

  it("answers the page of extracted files asked for", async () => {
    const clock = settableClock();
    await using sim = createSimulator({ now: clock.now, cluster: { scanDurationMs: 100 } });
    const cluster = await clusterClient(sim);
    const zip = zipSync({ "a.txt": strToU8("a"), "b.txt": strToU8("b"), "c.com": strToU8(EICAR) });
    const dataId = await upload(cluster, zip, { filename: "three.zip" });
    clock.set(clock.start + 100);

    const names = async (query: { first?: number; size?: number }) =>
      ((await result(cluster, dataId, query)).extracted_files?.files_in_archive ?? []).map(
        (file) => file.display_name,
      );
    expect(await names({})).toEqual(["a.txt", "b.txt", "c.com"]);
    expect(await names({ first: 1, size: 1 })).toEqual(["b.txt"]);
    expect(await names({})).toEqual(["a.txt", "b.txt", "c.com"]);
  });

  it("follows the clock back: a finished file is in progress again at an earlier time", async () => {
    const clock = settableClock();
    await using sim = createSimulator({ now: clock.now, cluster: { scanDurationMs: 100 } });
    const cluster = await clusterClient(sim);
    const dataId = await upload(cluster, "plain");
    clock.set(clock.start + 100);
    expect((await result(cluster, dataId)).scan_results?.scan_all_result_i).toBe(0);

    clock.set(clock.start + 50);
    const earlier = await result(cluster, dataId);
    expect(earlier.scan_results?.scan_all_result_i).toBe(255);
    expect(earlier.scan_results?.progress_percentage).toBe(50);
  });

  it("shows a cancellation made at an earlier time on the file finished before", async () => {
    const clock = settableClock();
    await using sim = createSimulator({ now: clock.now, cluster: { scanDurationMs: 100 } });
    const cluster = await clusterClient(sim);
    const dataId = await upload(cluster, EICAR);
    clock.set(clock.start + 100);
    expect((await result(cluster, dataId)).scan_results?.scan_all_result_i).toBe(1);

    clock.set(clock.start + 40);
    const cancel = await cluster.POST("/file/{data_id}/cancel", {
      params: { path: { data_id: dataId } },
    });
    expect(cancel.response.status).toBe(200);
    clock.set(clock.start + 1_000);
    const after = await result(cluster, dataId);
    expect(after.scan_results?.scan_all_result_i).toBe(19);
    expect(after.scan_results?.total_time).toBe(40);
  });
});

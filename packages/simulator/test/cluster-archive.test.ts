// Archives: ZIP content is extracted while it streams; every file inside
// gets its own data_id and result; the archive takes the worst verdict.
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { createSimulator } from "../src/index.js";
import { clusterClient, EICAR, result, testClock, upload } from "./cluster-helpers.js";

/** Sets the "encrypted" flag of every entry (local and central headers) of a stored ZIP. */
function markEncrypted(zip: Uint8Array): Uint8Array {
  const out = zip.slice();
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = out[i] === 0x50 && out[i + 1] === 0x4b;
    if (sig && out[i + 2] === 0x03 && out[i + 3] === 0x04) out[i + 6] = (out[i + 6] ?? 0) | 1;
    if (sig && out[i + 2] === 0x01 && out[i + 3] === 0x02) out[i + 8] = (out[i + 8] ?? 0) | 1;
  }
  return out;
}

describe("cluster: archives", () => {
  it("finds EICAR in a zip inside a zip inside a zip; each level points at the worst child", async () => {
    const clock = testClock();
    await using sim = createSimulator({ now: clock.now, cluster: { scanDurationMs: 300 } });
    const cluster = await clusterClient(sim);
    const inner = zipSync({ "deep/eicar.com": strToU8(EICAR), "deep/note.txt": strToU8("hi") });
    const middle = zipSync({ "readme.txt": strToU8("clean"), "inner.zip": [inner, { level: 0 }] });
    const outer = zipSync({ "a.txt": strToU8("clean too"), "middle.zip": middle });
    const dataId = await upload(cluster, outer, { filename: "outer.zip" });

    const running = await result(cluster, dataId);
    expect(running.scan_results?.scan_all_result_i).toBe(255);
    expect(running.extracted_files?.files_extracted_count).toBe(2);
    clock.advance(300);

    const top = await result(cluster, dataId);
    expect(top.file_info?.file_type).toBe("application/zip");
    expect(top.scan_results?.scan_all_result_i).toBe(1);
    expect(top.process_info?.blocked_reason).toBe("Infected");
    const files = top.extracted_files?.files_in_archive ?? [];
    expect(files.map((f) => f.display_name)).toEqual(["a.txt", "middle.zip"]);
    expect(files.map((f) => f.scan_all_result_i)).toEqual([0, 1]);
    expect(files.every((f) => f.progress_percentage === 100)).toBe(true);
    const middleId = top.extracted_files?.worst_data_id ?? "";
    expect(middleId).toBe(files[1]?.data_id);
    expect(top.scan_results?.last_file_scanned).toBe("middle.zip");

    const mid = await result(cluster, middleId);
    expect(mid.file_info?.file_size).toBe(middle.byteLength);
    const innerId = mid.extracted_files?.worst_data_id ?? "";
    const deepest = await result(cluster, innerId);
    expect(deepest.file_info?.display_name).toBe("inner.zip");
    const eicarId = deepest.extracted_files?.worst_data_id ?? "";
    const eicar = await result(cluster, eicarId);
    expect(eicar.file_info?.display_name).toBe("deep/eicar.com");
    expect(eicar.file_info?.file_size).toBe(EICAR.length);
    expect(eicar.file_info?.sha256).toBe(
      "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f",
    );
    expect(eicar.scan_results?.scan_all_result_i).toBe(1);
    expect(eicar.extracted_files).toBeUndefined();
    expect(sim.cluster.file(eicarId)?.parentId).toBe(innerId);
  });

  it("pages through a 10,000-file archive with first/size", async () => {
    const clock = testClock();
    await using sim = createSimulator({ now: clock.now, cluster: { scanDurationMs: 1000 } });
    const cluster = await clusterClient(sim);
    const entries: Record<string, Uint8Array> = {};
    for (let i = 0; i < 10_000; i++)
      entries[`files/${String(i).padStart(5, "0")}.txt`] = strToU8(`file ${i}`);
    entries["files/07777.txt"] = strToU8(`file 7777 ${EICAR}`);
    const dataId = await upload(cluster, zipSync(entries, { level: 1 }), { filename: "many.zip" });

    clock.advance(500);
    const half = await result(cluster, dataId);
    expect(half.scan_results?.progress_percentage).toBe(50);
    expect(half.scan_results?.last_file_scanned).toBe("files/04999.txt");
    clock.advance(500);

    const first = await result(cluster, dataId);
    expect(first.extracted_files?.files_extracted_count).toBe(10_000);
    expect(first.extracted_files?.first_index).toBe(0);
    expect(first.extracted_files?.page_size).toBe(50);
    expect(first.extracted_files?.files_in_archive?.length).toBe(50);
    expect(first.scan_results?.scan_all_result_i).toBe(1);

    const seen = new Set<string>();
    const names: string[] = [];
    for (let first = 0; first < 10_000; first += 750) {
      const page = await result(cluster, dataId, { first, size: 750 });
      expect(page.extracted_files?.first_index).toBe(first);
      for (const file of page.extracted_files?.files_in_archive ?? []) {
        seen.add(file.data_id ?? "");
        names.push(file.display_name ?? "");
      }
    }
    expect(seen.size).toBe(10_000);
    expect(names[0]).toBe("files/00000.txt");
    expect(names[9_999]).toBe("files/09999.txt");
    const worst = await result(cluster, first.extracted_files?.worst_data_id ?? "");
    expect(worst.file_info?.display_name).toBe("files/07777.txt");
    const beyond = await result(cluster, dataId, { first: 20_000 });
    expect(beyond.extracted_files?.files_in_archive).toEqual([]);
  });

  it("reports an encrypted entry as 12 (Encrypted) and blocks the archive", async () => {
    const clock = testClock();
    await using sim = createSimulator({ now: clock.now, cluster: { scanDurationMs: 10 } });
    const cluster = await clusterClient(sim);
    const zip = markEncrypted(zipSync({ "secret.txt": strToU8("top secret") }, { level: 0 }));
    const dataId = await upload(cluster, zip, { archivepwd: "infected" });
    clock.advance(10);
    const r = await result(cluster, dataId);
    expect(r.scan_results?.scan_all_result_i).toBe(12);
    expect(r.process_info?.result).toBe("Blocked");
    expect(r.extracted_files?.files_in_archive?.[0]).toMatchObject({
      display_name: "secret.txt",
      scan_all_result_i: 12,
      file_size: 10,
    });
  });

  it("keeps what a truncated archive yielded", async () => {
    const clock = testClock();
    await using sim = createSimulator({ now: clock.now, cluster: { scanDurationMs: 10 } });
    const cluster = await clusterClient(sim);
    const content = strToU8(`${EICAR}${"x".repeat(10_000)}`);
    const zip = zipSync({ "cut.txt": [content, { level: 0 }] });
    const dataId = await upload(cluster, zip.subarray(0, 2_000));
    clock.advance(10);
    const r = await result(cluster, dataId);
    expect(r.scan_results?.progress_percentage).toBe(100);
    expect(r.scan_results?.scan_all_result_i).toBe(1);
    expect(r.extracted_files?.files_in_archive?.[0]?.display_name).toBe("cut.txt");
  });

  it("cancelling an archive cancels the files still running inside it", async () => {
    const clock = testClock();
    await using sim = createSimulator({ now: clock.now, cluster: { scanDurationMs: 1000 } });
    const cluster = await clusterClient(sim);
    const zip = zipSync({
      "1.txt": strToU8("a"),
      "2.txt": strToU8("b"),
      "3.txt": strToU8("c"),
      "4.txt": strToU8("d"),
    });
    const dataId = await upload(cluster, zip);
    clock.advance(600); // children 1 and 2 finished
    await cluster.POST("/file/{data_id}/cancel", { params: { path: { data_id: dataId } } });
    const r = await result(cluster, dataId);
    expect(r.scan_results?.scan_all_result_i).toBe(19);
    expect(r.extracted_files?.files_in_archive?.map((f) => f.scan_all_result_i)).toEqual([
      0, 0, 19, 19,
    ]);
    expect(r.extracted_files?.files_in_archive?.every((f) => f.progress_percentage === 100)).toBe(
      true,
    );
  });
});

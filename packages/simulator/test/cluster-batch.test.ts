// Batches: create, upload into, close, status paging, signed certificate
// (verified, and tampering detected), cancel.
import { unwrap } from "@mdkit/cluster";
import { describe, expect, it } from "vitest";
import { createSimulator } from "../src/index.js";
import {
  clusterClient,
  EICAR,
  testClock,
  upload,
  verifyBatchCertificate,
} from "./cluster-helpers.js";

describe("cluster: batches", () => {
  it("runs a batch: create, upload, close, page its status, verify its signed result", async () => {
    const clock = testClock();
    await using sim = createSimulator({ now: clock.now, cluster: { scanDurationMs: 100 } });
    const cluster = await clusterClient(sim);
    const { batch_id } = await unwrap(
      cluster.POST("/file/batch", {
        params: {
          header: {
            rule: "multiscan",
            user_agent: "mdkit-test",
            "user-data": encodeURIComponent("nightly build ✓ #42: 'quoted'"),
          },
        },
      }),
    );
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      ids.push(
        await upload(cluster, i === 7 ? EICAR : `file ${i}`, {
          batch: batch_id,
          filename: `f${i}.txt`,
        }),
      );
    }
    const early = await cluster.GET("/file/batch/{batchId}/certificate", {
      params: { path: { batchId: batch_id } },
    });
    expect(early.response.status).toBe(400);

    const open = await unwrap(
      cluster.GET("/file/batch/{batchId}", { params: { path: { batchId: batch_id } } }),
    );
    expect(open.is_closed).toBe(false);
    expect(open.user_data).toBe("nightly build ✓ #42: 'quoted'");
    expect(open.batch_files?.batch_count).toBe(60);
    expect(open.batch_files?.files_in_batch?.length).toBe(50);
    expect(open.scan_results?.scan_all_result_i).toBe(255);

    const closed = await unwrap(
      cluster.POST("/file/batch/{batchId}/close", { params: { path: { batchId: batch_id } } }),
    );
    expect(closed.is_closed).toBe(true);
    const late = await cluster.POST("/file", {
      body: new Uint8Array([1]),
      params: { header: { "Content-Length": 1, batch: batch_id } },
    });
    expect(late.response.status).toBe(400);
    const processing = await cluster.GET("/file/batch/{batchId}/certificate", {
      params: { path: { batchId: batch_id } },
    });
    expect(processing.response.status).toBe(400);

    clock.advance(100);
    const page = await unwrap(
      cluster.GET("/file/batch/{batchId}", {
        params: { path: { batchId: batch_id }, query: { first: 50, size: 50 } },
      }),
    );
    expect(page.batch_files?.first_index).toBe(50);
    expect(page.batch_files?.files_in_batch?.map((f) => f.data_id)).toEqual(ids.slice(50));
    expect(page.scan_results?.scan_all_result_i).toBe(1);
    expect(page.process_info?.result).toBe("Blocked");
    expect(page.process_info?.progress_percentage).toBe(100);
    expect(sim.cluster.batch(batch_id)?.dataIds).toEqual(ids);

    const yaml = await unwrap(
      cluster.GET("/file/batch/{batchId}/certificate", {
        params: {
          path: { batchId: batch_id },
          header: { metadata: encodeURIComponent('{"include_vul_info":true}') },
        },
      }),
    );
    const check = verifyBatchCertificate(yaml);
    expect(check.valid).toBe(true);
    expect(check.certificate.toString()).toBe(
      new (await import("node:crypto")).X509Certificate(
        await sim.cluster.signingCertificate(),
      ).toString(),
    );
    const signed = check.result as {
      batch_id: string;
      user_data: string;
      batch_files: { batch_count: number; files_in_batch: Array<Record<string, unknown>> };
      scan_results: { scan_all_result_i: number };
    };
    expect(signed.batch_id).toBe(batch_id);
    expect(signed.user_data).toBe("nightly build ✓ #42: 'quoted'");
    expect(signed.batch_files.batch_count).toBe(60);
    expect(signed.batch_files.files_in_batch.map((f) => f.data_id)).toEqual(ids);
    expect(signed.batch_files.files_in_batch[7]).toMatchObject({
      display_name: "f7.txt",
      scan_all_result_i: 1,
      process_info: { blocked_reason: "Infected", result: "Blocked" },
      sha256: "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f",
      vulnerability_info: { verdict: 0 },
    });
    expect(signed.batch_files.files_in_batch[0]?.process_info).toEqual({
      blocked_reason: null,
      result: "Allowed",
    });
    expect(signed.scan_results.scan_all_result_i).toBe(1);

    // Flip one byte of the signed result: the signature no longer verifies.
    const bytes = new TextEncoder().encode(yaml);
    const at = new TextDecoder().decode(bytes).indexOf("scan_all_result_i: 1");
    const tampered = bytes.slice();
    tampered[at + "scan_all_result_i: ".length] = "0".charCodeAt(0);
    expect(verifyBatchCertificate(tampered).valid).toBe(false);

    // Without metadata: no vulnerability_info.
    const plain = await unwrap(
      cluster.GET("/file/batch/{batchId}/certificate", { params: { path: { batchId: batch_id } } }),
    );
    expect(plain).not.toContain("vulnerability_info");
    expect(verifyBatchCertificate(plain).valid).toBe(true);
  });

  it("answers 404 for an unknown batch on every batch operation", async () => {
    await using sim = createSimulator();
    const cluster = await clusterClient(sim);
    const path = { batchId: "0".repeat(32) };
    expect((await cluster.GET("/file/batch/{batchId}", { params: { path } })).response.status).toBe(
      404,
    );
    expect(
      (await cluster.POST("/file/batch/{batchId}/close", { params: { path } })).response.status,
    ).toBe(404);
    expect(
      (await cluster.GET("/file/batch/{batchId}/certificate", { params: { path } })).response
        .status,
    ).toBe(404);
    expect(
      (await cluster.POST("/file/batch/{batchId}/cancel", { params: { path } })).response.status,
    ).toBe(404);
    const unknownRule = await cluster.POST("/file/batch", { params: { header: { rule: "nope" } } });
    expect(unknownRule.response.status).toBe(400);
  });

  it("cancels a batch: its running files are cancelled and it is closed", async () => {
    const clock = testClock();
    await using sim = createSimulator({ now: clock.now, cluster: { scanDurationMs: 1000 } });
    const cluster = await clusterClient(sim);
    const { batch_id } = await unwrap(cluster.POST("/file/batch"));
    const dataId = await upload(cluster, "in a batch", { batch: batch_id });
    const cancelled = await unwrap(
      cluster.POST("/file/batch/{batchId}/cancel", { params: { path: { batchId: batch_id } } }),
    );
    expect(cancelled).toEqual({ [batch_id]: "cancelled" });
    const status = await unwrap(
      cluster.GET("/file/batch/{batchId}", { params: { path: { batchId: batch_id } } }),
    );
    expect(status.is_closed).toBe(true);
    expect(status.scan_results?.scan_all_result_i).toBe(19);
    expect(status.batch_files?.files_in_batch?.[0]?.scan_all_result_i).toBe(19);
    expect(sim.cluster.file(dataId)?.state.cancelled).toBe(true);
    expect(sim.cluster.batch(batch_id)?.cancelled).toBe(true);
  });
});

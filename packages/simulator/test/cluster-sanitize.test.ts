// Sanitizing rules: the converted file is written while the upload streams,
// offered once the analysis finished, streamed from disk, and deleted by close().
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createSimulator } from "../src/index.js";
import { clusterClient, result, testClock, upload } from "./cluster-helpers.js";

describe("cluster: sanitization", () => {
  it("offers the sanitized file after processing, with its name and length (over HTTP)", async () => {
    const clock = testClock();
    const sim = createSimulator({ now: clock.now, cluster: { scanDurationMs: 100 } });
    try {
      const server = await sim.listen();
      const cluster = await clusterClient(sim, server.url);
      const content = new Uint8Array(300_000).map((_, i) => i % 251);
      const dataId = await upload(cluster, content, {
        rule: "sanitize",
        filename: encodeURIComponent("rapport d'été.pdf"),
      });

      const early = await cluster.GET("/file/converted/{data_id}", {
        params: { path: { data_id: dataId } },
      });
      expect(early.response.status).toBe(404);
      // Present while nothing ran yet, with empty values.
      expect((await result(cluster, dataId)).process_info?.post_processing).toEqual({
        actions_failed: "",
        actions_ran: "",
        converted_destination: "",
        converted_to: "",
        copy_move_destination: "",
      });

      clock.advance(100);
      const done = await result(cluster, dataId);
      const post = done.process_info?.post_processing;
      expect(post?.actions_ran).toBe("Sanitized");
      expect(post?.converted_to).toBe("pdf");
      expect(post?.converted_destination).toBe(
        `rapport d'été_sanitized_by_OPSWAT_MetaDefender_${dataId}.pdf`,
      );

      for (const path of ["/file/converted/{data_id}", "/file/download/{data_id}"] as const) {
        const { data, response } = await cluster.GET(path, {
          params: { path: { data_id: dataId } },
          parseAs: "stream",
        });
        expect(response.status).toBe(200);
        const bytes = new Uint8Array(await new Response(data).arrayBuffer());
        const header = new TextEncoder().encode(`MDKIT-SANITIZED data_id=${dataId}\n`);
        expect(Number(response.headers.get("content-length"))).toBe(bytes.byteLength);
        expect(bytes.byteLength).toBe(header.byteLength + content.byteLength);
        expect(Buffer.from(bytes.subarray(0, header.byteLength)).equals(header)).toBe(true);
        expect(Buffer.from(bytes.subarray(header.byteLength)).equals(content)).toBe(true);
        const disposition = response.headers.get("content-disposition") ?? "";
        expect(disposition).toContain("attachment;");
        expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent("rapport d")}%27`);
      }
      const path = sim.cluster.file(dataId)?.sanitizedPath ?? "";
      expect(existsSync(path)).toBe(true);
      await sim.close();
      expect(existsSync(path)).toBe(false);
    } finally {
      await sim.close();
    }
  });

  it("has no converted file without a sanitizing rule, or once cancelled", async () => {
    const clock = testClock();
    await using sim = createSimulator({ now: clock.now, cluster: { scanDurationMs: 100 } });
    const cluster = await clusterClient(sim);
    const plain = await upload(cluster, "plain");
    const cancelled = await upload(cluster, "to cancel", { rule: "sanitize" });
    await cluster.POST("/file/{data_id}/cancel", { params: { path: { data_id: cancelled } } });
    clock.advance(100);
    for (const dataId of [plain, cancelled, "unknown"]) {
      const converted = await cluster.GET("/file/converted/{data_id}", {
        params: { path: { data_id: dataId } },
      });
      expect(converted.response.status).toBe(404);
      expect(converted.error).toEqual({ err: expect.any(String) });
      const processed = await cluster.GET("/file/download/{data_id}", {
        params: { path: { data_id: dataId } },
      });
      expect(processed.response.status).toBe(404);
    }
  });
});

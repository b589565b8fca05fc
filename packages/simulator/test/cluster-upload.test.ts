// POST /file: what is refused before the body is read (over real HTTP where
// the transport matters), what is recorded, and the counters.
import { request } from "node:http";
import { connect } from "node:net";
import { createClusterClient, unwrap } from "@mdkit/cluster";
import { describe, expect, it } from "vitest";
import { createSimulator } from "../src/index.js";
import { clusterClient, EICAR, login, testClock, upload } from "./cluster-helpers.js";

/** Sends a raw HTTP/1.1 request and returns the status line's code. */
function rawStatus(url: string, lines: string[]): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`${lines.join("\r\n")}\r\n\r\n`);
    });
    let text = "";
    socket.on("data", (chunk) => {
      text += chunk;
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (match) {
        socket.destroy();
        resolve(Number(match[1]));
      }
    });
    socket.on("error", reject);
  });
}

describe("cluster: uploads", () => {
  it("answers 411 to a chunked upload and to one without Content-Length (real HTTP)", async () => {
    await using sim = createSimulator();
    const server = await sim.listen();
    const apikey = await login(sim);
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${server.url}/file`, {
        method: "POST",
        headers: {
          apikey,
          "Transfer-Encoding": "chunked",
          "Content-Type": "application/octet-stream",
        },
      });
      req.on("response", (res) => {
        let body = "";
        res.on("data", (c) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.write("first chunk");
      req.end("second chunk");
    });
    expect(chunked.status).toBe(411);
    expect(JSON.parse(chunked.body)).toEqual({ err: expect.any(String) });

    const host = new URL(server.url).host;
    const status = await rawStatus(server.url, [
      "POST /file HTTP/1.1",
      `Host: ${host}`,
      `apikey: ${apikey}`,
      "Connection: close",
    ]);
    expect(status).toBe(411);
    expect(sim.state.uploadsByHash.size).toBe(0);
  });

  it("answers 422 to an empty body", async () => {
    await using sim = createSimulator();
    const apikey = await login(sim);
    const res = await sim.fetch(
      new Request("http://sim.local/file", {
        method: "POST",
        headers: { apikey, "content-length": "0" },
        body: new Uint8Array(0),
      }),
    );
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ err: "Body input is empty." });
  });

  it("refuses a multipart/form-data upload with a 400 that says to send the file itself", async () => {
    await using sim = createSimulator();
    const server = await sim.listen();
    const apikey = await login(sim);
    const form = new FormData();
    form.append("file", new Blob([EICAR]), "eicar.com");
    for (const base of ["http://sim.local", server.url]) {
      const request = new Request(`${base}/file`, {
        method: "POST",
        headers: { apikey },
        body: form,
      });
      const res = base === server.url ? await fetch(request) : await sim.fetch(request);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { err: string };
      expect(body.err).toMatch(/multipart/i);
      expect(body.err).toMatch(/application\/octet-stream/);
    }
    expect(sim.state.uploadsByHash.size).toBe(0);
    expect(sim.cluster.batches).toEqual([]);
  });

  it("answers 503 with Retry-After while capacity files are in progress", async () => {
    const clock = testClock();
    await using sim = createSimulator({
      now: clock.now,
      cluster: { capacity: 2, scanDurationMs: 1000, busyRetryAfterSeconds: 3 },
    });
    const cluster = await clusterClient(sim);
    await upload(cluster, "one");
    await upload(cluster, "two");
    // The gateway's own answer, not the client's retries of it (those would wait 3 s each).
    const busy = await cluster.POST("/file", {
      body: new TextEncoder().encode("three"),
      params: { header: { "Content-Length": 5 } },
      retry: false,
    });
    expect(busy.response.status).toBe(503);
    expect(busy.response.headers.get("retry-after")).toBe("3");
    expect(busy.error).toEqual({ err: "Server is too busy. Try again later." });
    clock.advance(1000);
    expect(await upload(cluster, "three")).toMatch(/^[0-9a-f]{32}$/);
  });

  it("answers 503 over HTTP before reading a large body, and the client receives it", async () => {
    await using sim = createSimulator({ cluster: { capacity: 0, busyRetryAfterSeconds: 2 } });
    const server = await sim.listen();
    const apikey = await login(sim);
    const total = 16 * 1024 * 1024;
    const block = Buffer.alloc(1024 * 1024, 1);
    const answer = await new Promise<{ status: number; retryAfter: string | undefined }>(
      (resolve, reject) => {
        const req = request(`${server.url}/file`, {
          method: "POST",
          headers: { apikey, "Content-Length": String(total) },
        });
        req.on("error", reject);
        req.on("response", (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, retryAfter: res.headers["retry-after"] });
        });
        let sent = 0;
        const pump = () => {
          while (sent < total) {
            sent += block.byteLength;
            if (!req.write(block)) {
              req.once("drain", pump);
              return;
            }
          }
          req.end();
        };
        pump();
      },
    );
    expect(answer).toEqual({ status: 503, retryAfter: "2" });
  });

  it("refuses an unknown rule, a file over the rule's limit, bad metadata and callback URLs", async () => {
    await using sim = createSimulator();
    const cluster = await clusterClient(sim);
    const status = async (header: Record<string, string>, size = 3) =>
      (
        await cluster.POST("/file", {
          body: new Uint8Array(size),
          params: { header: { ...header, "Content-Length": size } },
        })
      ).response.status;
    expect(await status({ rule: "no-such-rule" })).toBe(400);
    expect(await status({ rule: "strict" }, 1024 * 1024 + 1)).toBe(400);
    expect(await status({ rule: "strict" }, 1024 * 1024)).toBe(200);
    expect(await status({ metadata: "{not json" })).toBe(400);
    expect(await status({ callbackurl: "ftp://example.test/x" })).toBe(400);
    expect(await status({ batch: "no-such-batch" })).toBe(400);
  });

  it("records headers, callbacks (never called) and counts uploads by hash and bytes", async () => {
    await using sim = createSimulator();
    const cluster = await clusterClient(sim);
    const a = await upload(cluster, "same content", {
      filename: encodeURIComponent("отчёт ✓.txt"),
      rule: encodeURIComponent("multiscan"),
      metadata: encodeURIComponent(JSON.stringify({ ticket: "INC-1" })),
      archivepwd: "infected",
      user_agent: "mdkit-test",
      callbackurl: "http://10.0.0.1:8081/listenback",
    });
    await upload(cluster, "same content");
    await upload(cluster, "other content");
    const info = sim.cluster.file(a);
    expect(info).toMatchObject({
      displayName: "отчёт ✓.txt",
      rule: "multiscan",
      metadata: { ticket: "INC-1" },
      archivePassword: true,
      userAgent: "mdkit-test",
      username: "LOCAL/admin",
      callbackUrl: "http://10.0.0.1:8081/listenback",
      size: 12,
    });
    expect(sim.cluster.callbacks).toEqual([
      {
        dataId: a,
        url: "http://10.0.0.1:8081/listenback",
        recordedAt: expect.any(Number),
        delivery: "recorded",
        calledUrls: [],
        statuses: [],
        tampered: false,
      },
    ]);
    const sha = info?.sha256 ?? "";
    expect(sim.state.uploadsByHash.get(sha)).toBe(2);
    expect(sim.state.duplicateUploads()).toBe(1);
    expect(sim.state.bytesReceived).toBe(12 + 12 + 13);
  });

  it("lists the configured rules", async () => {
    await using sim = createSimulator({
      cluster: { rules: [{ name: "only", maxFileSize: 42 }] },
    });
    const apikey = await login(sim);
    const cluster = createClusterClient({
      baseUrl: "http://sim.local",
      fetch: sim.fetch,
      auth: () => ({ apikey }),
    });
    const rules = await unwrap(
      cluster.GET("/file/rules", { params: { header: { user_agent: "mdkit" } } }),
    );
    expect(rules).toEqual([{ name: "only", max_file_size: 42 }]);
  });
});

// POST /file over real HTTP, where the body is read straight from Node's
// request: a body in many chunks, with a sanitizing rule writing each chunk
// to disk before the next is read, and a client that leaves mid-upload.
import { createHash } from "node:crypto";
import { connect, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { createSimulator, type Simulator } from "../src/index.js";
import { clusterClient, EICAR, login, result, testClock } from "./cluster-helpers.js";

const KiB = 1024;

/** Opens a raw connection to a listening simulator. */
function open(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Writes and waits until the bytes left this process, so the server reads them apart. */
function send(socket: Socket, data: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) =>
    socket.write(data, (error) => (error ? reject(error) : resolve())),
  );
}

/** Resolves once the simulator handled every request it received. */
async function settled(sim: Simulator): Promise<void> {
  while (sim.state.inFlight > 0) await new Promise((done) => setTimeout(done, 5));
}

const head = (apikey: string, length: number, extra = "") =>
  `POST /file HTTP/1.1\r\nHost: sim.test\r\napikey: ${apikey}\r\nContent-Length: ${length}\r\n${extra}\r\n`;

describe("cluster: uploads over HTTP", () => {
  it("scans a body sent in many pieces as one file: hashes, verdict, sanitized copy", async () => {
    const clock = testClock();
    await using sim = createSimulator({ now: clock.now, cluster: { scanDurationMs: 10 } });
    const server = await sim.listen();
    const apikey = await login(sim);
    const content = Buffer.alloc(3 * 1024 * KiB);
    for (let i = 0; i < content.length; i++) content[i] = (i * 7) % 251;
    // The EICAR string straddles the boundary between two pieces.
    const boundary = 1024 * KiB;
    content.write(EICAR, boundary - 30, "latin1");

    const socket = await open(server.url);
    const answer = new Promise<string>((resolve) => {
      let text = "";
      socket.on("data", (chunk) => {
        text += chunk;
        if (/\r\n\r\n[\s\S]*\}/.test(text)) resolve(text);
      });
    });
    await send(socket, head(apikey, content.length, "rule: sanitize\r\nfilename: big.bin\r\n"));
    for (let offset = 0; offset < content.length; offset += 256 * KiB) {
      await send(socket, content.subarray(offset, offset + 256 * KiB));
    }
    const text = await answer;
    socket.destroy();
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    const dataId = (JSON.parse(text.slice(text.indexOf("{"))) as { data_id: string }).data_id;

    clock.advance(10);
    const cluster = await clusterClient(sim, server.url);
    const done = await result(cluster, dataId);
    const hash = (name: string) => createHash(name).update(content).digest("hex");
    expect(done.file_info).toMatchObject({
      file_size: content.length,
      md5: hash("md5"),
      sha1: hash("sha1"),
      sha256: hash("sha256"),
    });
    expect(done.scan_results?.scan_all_result_i).toBe(1);
    expect(sim.state.bytesReceived).toBe(content.length);

    const converted = await cluster.GET("/file/converted/{data_id}", {
      params: { path: { data_id: dataId } },
      parseAs: "arrayBuffer",
    });
    const copy = Buffer.from(converted.data as ArrayBuffer);
    const header = `MDKIT-SANITIZED data_id=${dataId}\n`;
    expect(copy.subarray(0, header.length).toString()).toBe(header);
    expect(copy.subarray(header.length).equals(content)).toBe(true);
  });

  it("forgets an upload whose client leaves mid-body and frees its place for the next", async () => {
    await using sim = createSimulator({ cluster: { capacity: 1, scanDurationMs: 10 } });
    const server = await sim.listen();
    const apikey = await login(sim);

    const socket = await open(server.url);
    await send(socket, head(apikey, 1024 * KiB));
    await send(socket, Buffer.alloc(64 * KiB, 1));
    while (sim.state.bytesReceived === 0) await new Promise((done) => setTimeout(done, 5));
    socket.destroy();
    await settled(sim);

    expect(sim.state.uploadsByHash.size).toBe(0);
    expect(sim.state.responsesByStatus.get(500)).toBe(1);
    const cluster = await clusterClient(sim, server.url);
    const next = await cluster.POST("/file", {
      body: new TextEncoder().encode("next"),
      params: { header: { "Content-Length": 4 } },
    });
    expect(next.response.status).toBe(200);
  });
});

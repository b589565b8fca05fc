/**
 * The floor a wall-time figure is read against: the same kind of files,
 * against the same simulator process, through the least client there is —
 * `node:http`, bodies already in memory, no hashing beyond what the lookup
 * needs, no checks, no deadlines, no retries, and polls timed by an oracle
 * that knows the scan time. What the SDK adds to a wall time is its figure
 * divided by this one; what this one is above the ideal N·t/C belongs to the
 * machine, and to the simulated gateway sharing its cores with the client.
 */
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import {
  type BareSend,
  bareSender,
  isFinished,
  type Progress,
  uploadHeaders,
} from "./raw-client.js";

/** How the bare client learns that a scan is done. */
export type FloorMode =
  | {
      kind: "poll";
      /** First poll this long after the upload is answered (the scan time), then every `repollMs`. */
      firstPollMs: number;
      repollMs: number;
      /** Look the hash up before uploading, as `scanFiles` does by default. */
      lookup: boolean;
    }
  | {
      /** The gateway calls a local `node:http` listener back; one confirming `GET /file/{id}` after it. */
      kind: "callbacks";
    };

/** What one floor pass took. */
export interface FloorPass {
  ms: number;
  /** CPU time of this process (the bare client) over the pass, ms. */
  cpuMs: number;
}

/** `count` distinct small bodies (shaped like the benchmarks' files), tagged with `tag`. */
export function floorBodies(tag: string, count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) =>
    Buffer.from(`${tag} floor ${i}\n${"x".repeat(1000)}\n`),
  );
}

/** A loopback listener resolving the waiter of each `/<token>` it is called on. */
async function callbackListener() {
  const waiting = new Map<string, () => void>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      JSON.parse(Buffer.concat(chunks).toString());
      response.writeHead(200).end();
      const token = (request.url ?? "/").slice(1);
      waiting.get(token)?.();
      waiting.delete(token);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  let next = 0;
  return {
    /** A fresh callback URL and the promise of its call. */
    expect() {
      const token = String(next++);
      const called = new Promise<void>((resolve) => waiting.set(token, resolve));
      return { url: base + token, called };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Polls as an oracle would: first when the scan should be done, then often. */
async function pollUntilDone(
  send: BareSend,
  dataId: string,
  mode: { firstPollMs: number; repollMs: number },
) {
  await sleep(mode.firstPollMs);
  while (!isFinished(await send<Progress>("GET", `/file/${dataId}`, {}))) {
    await sleep(mode.repollMs);
  }
}

/**
 * Hash lookups made ahead of the uploads (a lookup takes no place on the
 * gateway, so no worker holding one should wait for it): `found(i)` starts
 * the lookups of the next `ahead` bodies and tells whether body `i` already
 * has a finished result. Without `enabled`, nothing is looked up.
 */
function lookupsAhead(send: BareSend, bodies: Buffer[], enabled: boolean, ahead: number) {
  const started: Promise<boolean>[] = [];
  const lookup = async (body: Buffer) => {
    const sha256 = createHash("sha256").update(body).digest("hex");
    const found = await send<Record<string, unknown> & Progress>("GET", `/hash/${sha256}`, {});
    return found[sha256] !== "Not Found" && isFinished(found);
  };
  return {
    found(index: number): Promise<boolean> | boolean {
      if (!enabled) return false;
      for (let i = started.length; i < Math.min(bodies.length, index + ahead + 1); i++) {
        started[i] = lookup(bodies[i] as Buffer);
      }
      return started[index] as Promise<boolean>;
    },
  };
}

/**
 * Scans `bodies` with `concurrency` bare workers against the simulator at
 * `baseUrl` and measures the wall and CPU time it took.
 */
export async function bareFloorPass(options: {
  baseUrl: string;
  apikey: string;
  bodies: Buffer[];
  concurrency: number;
  mode: FloorMode;
}): Promise<FloorPass> {
  const { bodies, mode } = options;
  const { send, close } = bareSender(options.baseUrl, options.apikey);
  const listener = mode.kind === "callbacks" ? await callbackListener() : undefined;
  const confirms: Promise<unknown>[] = [];
  const lookups = lookupsAhead(
    send,
    bodies,
    mode.kind === "poll" && mode.lookup,
    options.concurrency,
  );
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const index = next++;
      const body = bodies[index] as Buffer;
      if (await lookups.found(index)) continue;
      const callback = listener?.expect();
      const headers = uploadHeaders(`floor-${index}.txt`, body);
      if (callback) headers.callbackurl = callback.url;
      const { data_id: dataId } = await send<{ data_id: string }>("POST", "/file", headers, body);
      if (callback) {
        await callback.called;
        confirms.push(send("GET", `/file/${dataId}`, {}));
      } else if (mode.kind === "poll") {
        await pollUntilDone(send, dataId, mode);
      }
    }
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    await Promise.all(confirms);
    const used = process.cpuUsage(cpu);
    return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
  } finally {
    close();
    await listener?.close();
  }
}

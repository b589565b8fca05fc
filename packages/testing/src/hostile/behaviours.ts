import type { ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";

/** Sends a JSON answer (the body is serialised as given; a string is sent as is). */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** Never answers: the request stays open until the client gives up or the server closes. */
export function hang(): void {}

const waitForDrain = (response: ServerResponse) =>
  new Promise<void>((resolve) => {
    const done = () => {
      response.off("drain", done);
      response.off("close", done);
      resolve();
    };
    response.once("drain", done);
    response.once("close", done);
  });

/**
 * Sends `body` one byte every `intervalMs` (a "slowloris" answer): headers at
 * once, then a trickle that keeps the connection busy for a long time.
 */
export async function trickle(
  response: ServerResponse,
  status: number,
  body: string,
  intervalMs = 1_000,
  headers: Record<string, string> = { "content-type": "application/json" },
): Promise<void> {
  response.writeHead(status, { ...headers, "content-length": Buffer.byteLength(body) });
  response.flushHeaders();
  for (const byte of Buffer.from(body)) {
    if (response.destroyed) return;
    response.write(Buffer.of(byte));
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  response.end();
}

/**
 * Streams a JSON document of about `bytes` bytes (`{"data_id":"x","pad":"aaaa…"}`)
 * as fast as the client reads it, stopping when the client goes away.
 */
export async function hugeJson(response: ServerResponse, bytes: number): Promise<void> {
  response.writeHead(200, { "content-type": "application/json" });
  const head = '{"data_id":"x","pad":"';
  const chunk = Buffer.alloc(64 * 1024, "a");
  response.write(head);
  for (let sent = head.length; sent < bytes && !response.destroyed; sent += chunk.length) {
    if (!response.write(chunk)) await waitForDrain(response);
  }
  if (!response.destroyed) response.end('"}');
}

let bombMember: Buffer | undefined;

/**
 * A gzip bomb: `decodedBytes` of JSON-looking padding sent as repeated gzip
 * members of 16 MiB each (about 16 KiB on the wire), with `Content-Encoding: gzip`.
 */
export async function gzipBomb(response: ServerResponse, decodedBytes: number): Promise<void> {
  const memberSize = 16 * 1024 * 1024;
  bombMember ??= gzipSync(Buffer.alloc(memberSize, " "), { level: 9 });
  response.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
  response.write(gzipSync(Buffer.from('{"data_id":"x","pad":"')));
  for (let sent = 0; sent < decodedBytes && !response.destroyed; sent += memberSize) {
    if (!response.write(bombMember)) await waitForDrain(response);
  }
  if (!response.destroyed) response.end(gzipSync(Buffer.from('"}')));
}

/** A gzip-encoded JSON answer cut in the middle of its compressed body (the socket is destroyed). */
export function truncatedGzip(response: ServerResponse, body: unknown = { data_id: "x" }): void {
  const full = gzipSync(Buffer.from(JSON.stringify(body)));
  response.writeHead(200, {
    "content-type": "application/json",
    "content-encoding": "gzip",
    "content-length": full.length,
  });
  response.write(full.subarray(0, Math.max(1, Math.floor(full.length / 2))));
  setTimeout(() => response.destroy(), 20);
}

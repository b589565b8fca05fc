/**
 * The baseline the SDK is measured against: the requests a careful user
 * would write by hand with a `fetch` function — no types, no retries, no
 * deadlines, no redaction; the body read as text and parsed with `JSON.parse`.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { Agent, request } from "node:http";
import { basename } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** A `fetch` taking a URL and an init, as the global one does. */
export type RawFetch = (url: string, init?: RequestInit) => Promise<Response>;

export interface Progress {
  scan_results?: { progress_percentage?: number };
  process_info?: { progress_percentage?: number };
}

/** Whether a result (of a poll or a hash lookup) is finished. */
export const isFinished = (result: Progress) =>
  (result.scan_results?.progress_percentage ?? 0) >= 100 &&
  (result.process_info?.progress_percentage ?? 100) >= 100;

/** Reads a JSON body; a non-2xx answer is an error. */
async function json<T>(response: Response): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as T;
}

/** Polls `GET /file/{dataId}` every `intervalMs` (the first after `intervalMs` too) until it is finished. */
export async function waitForResult(
  send: RawFetch,
  baseUrl: string,
  apikey: string,
  dataId: string,
  intervalMs: number,
): Promise<void> {
  const init = { headers: { apikey } };
  for (;;) {
    await sleep(intervalMs);
    if (isFinished(await json<Progress>(await send(`${baseUrl}/file/${dataId}`, init)))) return;
  }
}

/**
 * One small file as `scanFiles` handles it, by hand: read it, hash it,
 * look the hash up, upload it (with its length, name and user agent), poll
 * until finished.
 */
export async function rawScan(
  send: RawFetch,
  baseUrl: string,
  apikey: string,
  path: string,
  pollIntervalMs: number,
): Promise<void> {
  const bytes = await readFile(path);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const lookup = await json<Record<string, unknown> & Progress>(
    await send(`${baseUrl}/hash/${sha256}`, { headers: { apikey } }),
  );
  if (lookup[sha256] !== "Not Found" && isFinished(lookup)) return;
  const { data_id: dataId } = await json<{ data_id: string }>(
    await send(`${baseUrl}/file`, {
      method: "POST",
      headers: { apikey, ...uploadHeaders(basename(path), bytes) },
      body: bytes,
    }),
  );
  await waitForResult(send, baseUrl, apikey, dataId, pollIntervalMs);
}

/** Sends one request and resolves with its JSON body; a status of 300 or more rejects. */
export type BareSend = <T>(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
) => Promise<T>;

/** The least a Node loop can do for one request: `node:http` over a keep-alive agent, no `Request`, `Response` or web stream. */
export function bareSender(baseUrl: string, apikey: string): { send: BareSend; close(): void } {
  const { hostname, port } = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true });
  const send: BareSend = <T>(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: Buffer,
  ) =>
    new Promise<T>((resolve, reject) => {
      const outgoing = request(
        { host: hostname, port, method, path, headers: { apikey, ...headers }, agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", reject);
          response.on("end", () => {
            const text = Buffer.concat(chunks).toString();
            if ((response.statusCode ?? 0) >= 300) reject(new Error(`HTTP ${response.statusCode}`));
            else resolve(JSON.parse(text) as T);
          });
        },
      );
      outgoing.on("error", reject);
      outgoing.end(body);
    });
  return { send, close: () => agent.destroy() };
}

/** The upload headers of `rawScan`, for a body of `bytes`. */
export const uploadHeaders = (name: string, bytes: Buffer): Record<string, string> => ({
  "content-type": "application/octet-stream",
  "content-length": String(bytes.byteLength),
  filename: encodeURIComponent(name),
  user_agent: "bench",
});

/** A plain `node:http` client making the requests of {@link rawScan}. */
export function bareHttp(baseUrl: string, apikey: string) {
  const { send, close } = bareSender(baseUrl, apikey);
  return {
    close,
    /** The requests of {@link rawScan}, over `node:http`. */
    async scan(path: string, pollIntervalMs: number): Promise<void> {
      const bytes = await readFile(path);
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      const lookup = await send<Record<string, unknown> & Progress>("GET", `/hash/${sha256}`, {});
      if (lookup[sha256] !== "Not Found" && isFinished(lookup)) return;
      const { data_id: dataId } = await send<{ data_id: string }>(
        "POST",
        "/file",
        uploadHeaders(basename(path), bytes),
        bytes,
      );
      for (;;) {
        await sleep(pollIntervalMs);
        if (isFinished(await send<Progress>("GET", `/file/${dataId}`, {}))) return;
      }
    },
  };
}

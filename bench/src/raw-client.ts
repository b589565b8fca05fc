/**
 * The baseline the SDK is measured against: the requests a careful user
 * would write by hand with a `fetch` function — no types, no retries, no
 * deadlines, no redaction; the body read as text and parsed with `JSON.parse`.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** A `fetch` taking a URL and an init, as the global one does. */
export type RawFetch = (url: string, init?: RequestInit) => Promise<Response>;

interface Progress {
  scan_results?: { progress_percentage?: number };
  process_info?: { progress_percentage?: number };
}

const finished = (result: Progress) =>
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
    if (finished(await json<Progress>(await send(`${baseUrl}/file/${dataId}`, init)))) return;
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
  if (lookup[sha256] !== "Not Found" && finished(lookup)) return;
  const { data_id: dataId } = await json<{ data_id: string }>(
    await send(`${baseUrl}/file`, {
      method: "POST",
      headers: {
        apikey,
        "content-type": "application/octet-stream",
        "content-length": String(bytes.byteLength),
        filename: encodeURIComponent(basename(path)),
        user_agent: "bench",
      },
      body: bytes,
    }),
  );
  await waitForResult(send, baseUrl, apikey, dataId, pollIntervalMs);
}

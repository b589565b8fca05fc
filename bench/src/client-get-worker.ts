/**
 * Child process of the `client-get` benchmark: the same `GET /file/{data_id}`
 * sent many times, sequentially, by four clients taking turns in blocks
 * (so that a busy moment of the machine weighs on all of them):
 *
 * - `typed`: the typed Cluster client with auth, over a `createNodeFetch`
 *   transport (what the Node entry uses by default);
 * - `raw-node`: a plain loop over the same `createNodeFetch` instance, so the
 *   same keep-alive connection (`Request` in, `JSON.parse(await text())` out);
 * - `raw-fetch`: the same loop over the global `fetch` (its own keep-alive connection);
 * - `typed-fetch`: the typed client over the global `fetch`.
 *
 * Prints, per client, the wall time and the CPU time (user + system) of
 * this process over its requests, and how many answers were wrong.
 *
 *   node client-get-worker.js <baseUrl> <apikey> <requests per client> [client,... (default all)]
 */
import { createClusterClient, unwrap } from "@mdkit/cluster";
import { createNodeFetch } from "@mdkit/core";
import { type RawFetch, waitForResult } from "./raw-client.js";

const [baseUrl, apikey, countText, only] = process.argv.slice(2) as [
  string,
  string,
  string,
  string?,
];
const count = Number(countText);
const BLOCK = Math.min(500, count);

const nodeFetch = createNodeFetch();
const rawNode: RawFetch = (url, init) => nodeFetch(new Request(url, init));
const rawFetch: RawFetch = (url, init) => fetch(url, init);
const auth = () => ({ apikey });
const typed = createClusterClient({ baseUrl, auth, fetch: nodeFetch });
const typedFetch = createClusterClient({ baseUrl, auth, fetch: (request) => fetch(request) });

// One finished analysis to ask for again and again.
const upload = await rawNode(`${baseUrl}/file`, {
  method: "POST",
  headers: { apikey, "content-type": "application/octet-stream", "content-length": "9" },
  body: "bench get",
});
const { data_id: dataId } = JSON.parse(await upload.text()) as { data_id: string };
await waitForResult(rawNode, baseUrl, apikey, dataId, 20);
const url = `${baseUrl}/file/${dataId}`;

type Get = () => Promise<{ data_id?: unknown }>;
const rawGet = (send: RawFetch): Get => {
  const init = { headers: { apikey } };
  return async () => JSON.parse(await (await send(url, init)).text());
};
const typedGet =
  (client: typeof typed): Get =>
  () =>
    unwrap(client.GET("/file/{data_id}", { params: { path: { data_id: dataId } } }));

const clients: Record<string, Get> = {
  typed: typedGet(typed),
  "raw-node": rawGet(rawNode),
  "raw-fetch": rawGet(rawFetch),
  "typed-fetch": typedGet(typedFetch),
};
const names = only ? only.split(",") : Object.keys(clients);
const totals = Object.fromEntries(names.map((name) => [name, { wallMs: 0, cpuMs: 0, wrong: 0 }]));

async function block(name: string, n: number, record: boolean) {
  const get = clients[name] as Get;
  let wrong = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < n; i++) if ((await get()).data_id !== dataId) wrong++;
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (!record) return;
  const total = totals[name] as (typeof totals)[string];
  total.wallMs += wallMs;
  total.cpuMs += (used.user + used.system) / 1000;
  total.wrong += wrong;
}

// Warm up every path (JIT, connections), then take turns, rotating who goes first.
for (const name of names) await block(name, Math.min(1_000, count / 4), false);
for (let round = 0; round * BLOCK < count; round++) {
  const n = Math.min(BLOCK, count - round * BLOCK);
  for (let i = 0; i < names.length; i++) {
    await block(names[(round + i) % names.length] as string, n, true);
  }
}
nodeFetch.close();
console.log(JSON.stringify({ count, totals }));

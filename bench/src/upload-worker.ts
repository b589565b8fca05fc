/**
 * Child process of the upload benchmark: uploads one file with the typed
 * Cluster client (Node default transport, a zero-copy file body) and reports wall time and the
 * growth of its own resident memory, sampled every 5 ms.
 */
import { createClusterClient, unwrap } from "@mdkit/cluster";
import { openFileBlob } from "@mdkit/core";

const [baseUrl, apikey, path] = process.argv.slice(2) as [string, string, string];
const cluster = createClusterClient({ baseUrl, auth: () => ({ apikey }) });

async function upload(file: string) {
  const body = await openFileBlob(file);
  const size = body.size;
  return unwrap(
    cluster.POST("/file", {
      body,
      params: { header: { "Content-Length": size, filename: "bench.bin" } },
    }),
  );
}

// Warm up the client, the connection and the code paths with a tiny upload.
const warm = new Blob(["warm-up"]);
await unwrap(
  cluster.POST("/file", { body: warm, params: { header: { "Content-Length": warm.size } } }),
);
globalThis.gc?.();
const baseline = process.memoryUsage().rss;
let peak = baseline;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 5);
const started = performance.now();
const { data_id } = await upload(path);
const ms = performance.now() - started;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
console.log(JSON.stringify({ ms, baseline, peak, dataId: data_id }));

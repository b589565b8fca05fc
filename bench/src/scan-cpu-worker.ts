/**
 * Child process of the `scan-cpu` benchmark: scans the small files of a
 * directory, either with `scanFiles` (typed Cluster client, Node entry
 * defaults) or with a hand-written loop making the same requests (hash
 * lookup, upload, polls) over `createNodeFetch` or the global `fetch`, at the
 * same concurrency; `raw-http` makes them with bare `node:http` (no
 * `Request`, `Response` or web stream: the floor of any Node client). The
 * files of `<dir>/warm` go first, unmeasured (JIT, connections); then the
 * CPU time (user + system) of this process over the files of `<dir>/files`
 * is printed with the wall time.
 *
 *   node scan-cpu-worker.js <baseUrl> <apikey> <scan|raw-node|raw-fetch|raw-http> <dir> <concurrency> <pollIntervalMs>
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { createClusterClient } from "@mdkit/cluster";
import { createNodeFetch } from "@mdkit/core";
import { scanFiles } from "@mdkit/scan/node";
import { bareHttp, type RawFetch, rawScan } from "./raw-client.js";

const [baseUrl, apikey, mode, dir, concurrencyText, pollText] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
];
const concurrency = Number(concurrencyText);
const pollIntervalMs = Number(pollText);

const list = async (sub: string) =>
  (await readdir(join(dir, sub))).sort().map((name) => join(dir, sub, name));

const cluster = createClusterClient({ baseUrl, auth: () => ({ apikey }) });

async function withScanFiles(paths: string[]) {
  let failed = 0;
  for await (const item of scanFiles(cluster, paths, {
    concurrency: { initial: concurrency, max: concurrency },
  })) {
    if (!item.ok) failed++;
  }
  return failed;
}

type Loop = (path: string) => Promise<void>;

async function withRawLoop(scanOne: Loop, paths: string[]) {
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < paths.length) {
      const path = paths[next++] as string;
      await scanOne(path).catch(() => failed++);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return failed;
}

const nodeFetch = createNodeFetch();
const bare = bareHttp(baseUrl, apikey);
const overFetch = (send: RawFetch) => (path: string) =>
  rawScan(send, baseUrl, apikey, path, pollIntervalMs);
const loops: Record<string, Loop> = {
  "raw-node": overFetch((url, init) => nodeFetch(new Request(url, init))),
  "raw-fetch": overFetch((url, init) => fetch(url, init)),
  "raw-http": (path) => bare.scan(path, pollIntervalMs),
};
const run = (paths: string[]) =>
  mode === "scan" ? withScanFiles(paths) : withRawLoop(loops[mode] as Loop, paths);

await run(await list("warm"));
const files = await list("files");
const cpu = process.cpuUsage();
const started = performance.now();
const failed = await run(files);
const wallMs = performance.now() - started;
const used = process.cpuUsage(cpu);
nodeFetch.close();
bare.close();
console.log(
  JSON.stringify({ files: files.length, failed, wallMs, cpuMs: (used.user + used.system) / 1000 }),
);

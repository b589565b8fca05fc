/**
 * A scan worker in a process of its own, as `mdkit queue work` runs one:
 * settings in argv[2] (JSON). Prints `ready`, then one `result` line per
 * job it ends; SIGTERM closes it gracefully (jobs in progress finish).
 */
import { createClusterClient } from "@mdkit/cluster";
import { createScanWorker } from "../../src/index.js";

interface Settings {
  redis: string;
  name: string;
  url: string;
  apikey: string;
  concurrency: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  leaseMs: number;
}

const settings = JSON.parse(process.argv[2] ?? "{}") as Settings;
const cluster = createClusterClient({
  baseUrl: settings.url,
  auth: () => ({ apikey: settings.apikey }),
});
const worker = createScanWorker({
  connection: settings.redis,
  name: settings.name,
  cluster,
  concurrency: settings.concurrency,
  budget: { initial: 4, max: 32, leaseMs: settings.leaseMs, pollMs: 100 },
  lockDurationMs: settings.lockDurationMs,
  stalledIntervalMs: settings.stalledIntervalMs,
});
worker.on("result", () => process.stdout.write("result\n"));
worker.on("error", (error) => process.stderr.write(`worker error: ${String(error)}\n`));
process.once("SIGTERM", () => {
  void worker.close().then(() => process.exit(0));
});
await worker.worker.waitUntilReady();
process.stdout.write("ready\n");

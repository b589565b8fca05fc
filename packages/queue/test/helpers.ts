import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ClusterClient, createClusterClient } from "@mdkit/cluster";
import { createSimulator, type Simulator, type SimulatorOptions } from "@mdkit/simulator";
import { REDIS_MISSING, type RedisServer, startRedis } from "@mdkit/testing/redis";

/** A real redis-server for the file's tests, or `undefined` (the tests skip, saying why). */
export async function redisForTests(): Promise<RedisServer | undefined> {
  const redis = await startRedis();
  if (!redis) console.warn(REDIS_MISSING);
  return redis;
}

let counter = 0;
/** A queue name no other test uses. */
export const uniqueName = (what: string) => `${what}-${process.pid}-${++counter}`;

/** An in-process simulator and a client of it. */
export function gateway(options: SimulatorOptions["cluster"] = {}): {
  sim: Simulator;
  cluster: ClusterClient;
} {
  const sim = createSimulator({
    cluster: { scanDurationMs: 20, apiKeys: ["queue-test-key"], ...options },
  });
  const cluster = createClusterClient({
    baseUrl: "http://gateway.test",
    fetch: sim.fetch,
    auth: () => ({ apikey: "queue-test-key" }),
  });
  return { sim, cluster };
}

/** A fresh directory of files (name → content); `remove()` deletes it. */
export async function files(
  contents: Record<string, string>,
): Promise<{ dir: string; path(name: string): string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "mdkit-queue-test-"));
  for (const [name, text] of Object.entries(contents)) await writeFile(join(dir, name), text);
  return {
    dir,
    path: (name) => join(dir, name),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Every item of an async iterable. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

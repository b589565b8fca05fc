import type { Redis } from "ioredis";
import { parseQueueResult, type QueueResult } from "../result.js";
import type { QueueKeys } from "./keys.js";
import { redisScript } from "./redis-script.js";

/**
 * KEYS: results, result log, tallies. ARGV: job id, result JSON, tally name.
 * Records a job's result once: the first write wins and is logged; a second
 * one (a job re-run after a crash) returns the first instead.
 */
const RECORD = redisScript(`
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('XADD', KEYS[2], '*', 'job', ARGV[1], 'result', ARGV[2])
  redis.call('HINCRBY', KEYS[3], ARGV[3], 1)
  return ARGV[2]
end
return redis.call('HGET', KEYS[1], ARGV[1])`);

/** Records `result` unless the job has one already; returns the one that stands. */
export async function recordResult(
  redis: Redis,
  keys: QueueKeys,
  result: QueueResult,
): Promise<QueueResult> {
  const tally = result.ok ? result.result.verdict : "error";
  const stored = await RECORD.run(
    redis,
    [keys.results, keys.resultLog, keys.tallies],
    [result.jobId, JSON.stringify(result), tally],
  );
  return parseQueueResult(String(stored));
}

/** The recorded result of a job, if any. */
export async function readResult(
  redis: Redis,
  keys: QueueKeys,
  jobId: string,
): Promise<QueueResult | undefined> {
  const stored = await redis.hget(keys.results, jobId);
  return stored ? parseQueueResult(stored) : undefined;
}

/** Entries of the result log after `cursor`, waiting up to `blockMs` for new ones when there are none. */
export async function readLog(
  redis: Redis,
  keys: QueueKeys,
  cursor: string,
  count: number,
  blockMs: number | undefined,
): Promise<QueueResult[]> {
  const reply =
    blockMs === undefined
      ? await redis.xread("COUNT", count, "STREAMS", keys.resultLog, cursor)
      : await redis.xread("COUNT", count, "BLOCK", blockMs, "STREAMS", keys.resultLog, cursor);
  const entries = reply?.[0]?.[1] ?? [];
  return entries.map(([id, fields]) => {
    const json = fields[fields.indexOf("result") + 1] ?? "{}";
    return { ...parseQueueResult(json), cursor: id };
  });
}

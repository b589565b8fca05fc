/**
 * Per-producer fairness with open-source BullMQ (groups are a Pro feature):
 * start-time fair queuing on top of job priorities. Each producer's jobs get
 * consecutive tags starting at `max(virtual time, its last tag) + 1`, and a
 * job's priority is its tag; workers advance the virtual time to the tag of
 * each job they start. Jobs are then served in tag order, so producers take
 * turns job by job (a producer that adds 100,000 files gets one in every
 * k turns when k producers are waiting), and a producer that arrives later
 * starts at the current virtual time instead of behind the whole backlog.
 */
import type { Redis } from "ioredis";
import { redisScript } from "./redis-script.js";

/** BullMQ's highest priority value; tags beyond it are served in arrival order. */
export const MAX_PRIORITY = 2_097_151;

/** KEYS: fairness hash. ARGV: producer, count. Returns the first of `count` consecutive tags. */
const RESERVE = redisScript(`
local v = tonumber(redis.call('HGET', KEYS[1], 'vtime') or '0')
local last = tonumber(redis.call('HGET', KEYS[1], 'p:' .. ARGV[1]) or '0')
local start = math.max(v, last) + 1
redis.call('HSET', KEYS[1], 'p:' .. ARGV[1], start + tonumber(ARGV[2]) - 1)
return start`);

/** KEYS: fairness hash. ARGV: tag. Advances the virtual time to `tag` (never back). */
const ADVANCE = redisScript(`
local v = tonumber(redis.call('HGET', KEYS[1], 'vtime') or '0')
if tonumber(ARGV[1]) > v then redis.call('HSET', KEYS[1], 'vtime', ARGV[1]) end
return 1`);

/** Reserves `count` consecutive tags for `producer`; returns the first. */
export async function reserveTags(
  redis: Redis,
  key: string,
  producer: string,
  count: number,
): Promise<number> {
  return Number(await RESERVE.run(redis, [key], [producer, count]));
}

/** A worker started the job with this priority: the virtual time moves to it. */
export async function advanceVirtualTime(redis: Redis, key: string, tag: number): Promise<void> {
  if (tag > 0) await ADVANCE.run(redis, [key], [tag]);
}

/** The BullMQ priority of a tag. */
export const priorityOf = (tag: number) => Math.min(MAX_PRIORITY, Math.max(1, tag));

import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { budgetKeys, type QueueKeys } from "./keys.js";

/** What `status()` reports. */
export interface QueueStatus {
  /** Jobs by BullMQ state. */
  jobs: {
    waiting: number;
    prioritized: number;
    active: number;
    delayed: number;
    completed: number;
    failed: number;
  };
  /** Results recorded (one per finished job). */
  results: number;
  /** Results by verdict; `error` for typed failures. */
  verdicts: Record<string, number>;
  /** Files added, by producer. */
  producers: Record<string, number>;
  /** The shared gateway budget: whole slots allowed, held now, and the learned ceiling (`null` before any "busy"). */
  budget: { name: string; limit: number; inUse: number; ceiling: number | null } | undefined;
}

const numbers = (record: Record<string, string>) =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [k, Number(v)]));

/** Reads the status of a queue. */
export async function readStatus(
  redis: Redis,
  queue: Queue,
  keys: QueueKeys,
  budget: { prefix: string; name: string },
): Promise<QueueStatus> {
  const b = budgetKeys(budget.prefix, budget.name);
  const [counts, results, verdicts, producers, state, inUse] = await Promise.all([
    queue.getJobCounts("waiting", "prioritized", "active", "delayed", "completed", "failed"),
    redis.hlen(keys.results),
    redis.hgetall(keys.tallies),
    redis.hgetall(keys.producers),
    redis.hmget(b.state, "value", "ceiling"),
    redis.zcount(b.slots, Date.now(), "+inf"),
  ]);
  const [value, ceiling] = state;
  return {
    jobs: {
      waiting: counts.waiting ?? 0,
      prioritized: counts.prioritized ?? 0,
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      completed: counts.completed ?? 0,
      failed: counts.failed ?? 0,
    },
    results,
    verdicts: numbers(verdicts),
    producers: numbers(producers),
    budget: value
      ? {
          name: budget.name,
          limit: Math.floor(Number(value)),
          inUse,
          ceiling: ceiling && ceiling !== "Infinity" ? Number(ceiling) : null,
        }
      : undefined,
  };
}

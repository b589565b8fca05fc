import type { Random } from "./internal/random.js";

/**
 * What can go wrong with one operation. Probabilities are drawn from the
 * simulator's seeded generator, so a seed reproduces the same faults.
 */
export interface FaultRule {
  /** Delay before the request is handled, in ms. */
  latencyMs?: number;
  /** Probability (0–1) of answering 500 "Unexpected event on server". */
  errorRate?: number;
  /** Answer the next `count` requests with `status` (with `Retry-After` for 429/503), then behave. */
  burst?: { status: 429 | 500 | 503; count: number; retryAfterSeconds?: number };
  /** Probability (0–1) of resetting the connection after part of the request was read. */
  resetRate?: number;
  /** Probability (0–1) of cutting a JSON response body in half (status stays 200). */
  truncateRate?: number;
}

/** Fault rules by operationId; `"*"` applies to every operation without its own rule. */
export type FaultRules = Record<string, FaultRule>;

/** What the fault layer decided for one request. */
export type FaultDecision =
  | { kind: "none"; latencyMs: number; truncate: boolean }
  | { kind: "status"; latencyMs: number; status: 429 | 500 | 503; retryAfterSeconds?: number }
  | { kind: "reset"; latencyMs: number };

/** Changes fault rules while the simulator runs. */
export class FaultController {
  private rules: FaultRules;
  private readonly burstsLeft = new Map<string, number>();

  constructor(
    rules: FaultRules,
    private readonly random: Random,
  ) {
    this.rules = { ...rules };
    for (const [op, rule] of Object.entries(this.rules)) this.armBurst(op, rule);
  }

  /** Sets (or with `undefined`, removes) the rule of one operation or `"*"`. */
  set(operationId: string, rule: FaultRule | undefined): void {
    if (rule) {
      this.rules[operationId] = rule;
      this.armBurst(operationId, rule);
    } else {
      delete this.rules[operationId];
      this.burstsLeft.delete(operationId);
    }
  }

  /** Removes every rule. */
  clear(): void {
    this.rules = {};
    this.burstsLeft.clear();
  }

  /** Decides the fault for one request of `operationId`. */
  decide(operationId: string): FaultDecision {
    const key = operationId in this.rules ? operationId : "*";
    const rule = this.rules[key];
    if (!rule) return { kind: "none", latencyMs: 0, truncate: false };
    const latencyMs = rule.latencyMs ?? 0;
    const left = this.burstsLeft.get(key) ?? 0;
    if (rule.burst && left > 0) {
      this.burstsLeft.set(key, left - 1);
      return {
        kind: "status",
        latencyMs,
        status: rule.burst.status,
        ...(rule.burst.retryAfterSeconds !== undefined
          ? { retryAfterSeconds: rule.burst.retryAfterSeconds }
          : {}),
      };
    }
    if (rule.resetRate && this.random.next() < rule.resetRate) return { kind: "reset", latencyMs };
    if (rule.errorRate && this.random.next() < rule.errorRate)
      return { kind: "status", latencyMs, status: 500 };
    const truncate = !!rule.truncateRate && this.random.next() < rule.truncateRate;
    return { kind: "none", latencyMs, truncate };
  }

  private armBurst(operationId: string, rule: FaultRule) {
    if (rule.burst) this.burstsLeft.set(operationId, rule.burst.count);
  }
}

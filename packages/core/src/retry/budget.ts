import type { RetryBudgetOptions } from "./options.js";

/**
 * A token bucket that bounds the retries of one client: each retry takes
 * tokens, each call that succeeds gives some back. While a service answers,
 * the bucket stays full; when it is down, the bucket empties after a few
 * dozen retries and later calls fail at their first error instead of
 * multiplying the load on a service that is already failing.
 *
 * @example
 * ```ts
 * const budget = new RetryBudget({ capacity: 50 });
 * if (budget.take("retry")) await retry(); else throw lastError;
 * ```
 */
export class RetryBudget {
  #tokens: number;
  readonly #capacity: number;
  readonly #retryCost: number;
  readonly #timeoutCost: number;
  readonly #successRefill: number;

  constructor(options: RetryBudgetOptions = {}) {
    this.#capacity = Math.max(0, options.capacity ?? 500);
    this.#retryCost = options.retryCost ?? 5;
    this.#timeoutCost = options.timeoutCost ?? 10;
    this.#successRefill = options.successRefill ?? 1;
    this.#tokens = this.#capacity;
  }

  /** Tokens left. */
  get available(): number {
    return this.#tokens;
  }

  /**
   * Takes the tokens of one retry (more after a timeout). Returns the cost
   * taken, or `undefined` when the bucket is too low: then do not retry.
   */
  take(kind: "retry" | "timeout"): number | undefined {
    const cost = kind === "timeout" ? this.#timeoutCost : this.#retryCost;
    if (cost > this.#tokens) return undefined;
    this.#tokens -= cost;
    return cost;
  }

  /**
   * A call succeeded: gives back the tokens its retries took (`costTaken`),
   * or the refill of a success at the first attempt when it took none.
   */
  succeeded(costTaken = 0): void {
    const refill = costTaken > 0 ? costTaken : this.#successRefill;
    this.#tokens = Math.min(this.#capacity, this.#tokens + refill);
  }
}

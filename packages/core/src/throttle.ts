/**
 * What the transport calls once an attempt has ended: with its response
 * (headers arrived, any status) or with nothing (no response came).
 */
export type ThrottleRelease = (response?: Response) => void;

/**
 * Paces the requests of one client, for example to the rate limit a server
 * announces in its headers. The transport asks it before every attempt —
 * the first and each retry, after credentials are applied — and tells it how
 * the attempt ended. Its waits run on its own clock and end with the
 * request's signal (the call's deadline or the caller's abort), so a
 * throttled call never waits past its deadline.
 *
 * @example
 * ```ts
 * const throttle: RequestThrottle = {
 *   async acquire(operation, signal) {
 *     await slots.take(signal);
 *     return () => slots.give();
 *   },
 * };
 * ```
 */
export interface RequestThrottle {
  /**
   * Resolves when a request of `operation` (its operationId, when the call
   * matched one) may be sent, with the function to call when the attempt has
   * ended; rejects with the signal's reason as soon as it aborts.
   */
  acquire(operation: string | undefined, signal: AbortSignal): Promise<ThrottleRelease>;
}

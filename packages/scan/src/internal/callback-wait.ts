import type { AnalysisResult, ClusterClient } from "@mdkit/cluster";
import { systemClock } from "@mdkit/core";
import type { CallbackReceiver, CallbackSubscription } from "../callback-receiver.js";
import { InvalidInputError } from "../errors.js";
import { type PollOptions, pollResult } from "../poll.js";
import { raceCallback, untilCallback, type Woken } from "./callback-race.js";
import { expectedDurationMs } from "./expected-duration.js";

/** What the scan passes to the wait: its poll options, bounded by the scan's deadline (`signal`). */
export type CallbackWaitOptions = PollOptions & {
  signal: AbortSignal;
  /**
   * Called when this upload's callback (its token matched) says the gateway
   * is done with the file, before the result is confirmed: the scan gives its
   * place on the gateway back then, not a round trip later.
   */
  onCalledBack?: (() => void) | undefined;
};

/**
 * Waits for the finished result of `dataId`, woken up by its callback.
 *
 * 1. Until the expected end of the analysis plus `graceMs`: no request at
 *    all, only the callback.
 * 2. Late: `slowPolls` polls every `slowPollIntervalMs`, the callback still welcome.
 * 3. Then, or as soon as a callback was refused or the receiver closed:
 *    polling at the normal adaptive rate (a receiver that missed several
 *    callbacks in a row starts here).
 *
 * A callback never carries the verdict: it only makes the next poll come at
 * once, so the result is confirmed with one `GET /file/{data_id}` (and a
 * forged early callback just leads to normal polling). The scan holds its
 * place on the gateway until the callback (`onCalledBack`) or this returns.
 */
export async function waitWithCallback(
  client: ClusterClient,
  dataId: string,
  subscription: CallbackSubscription,
  receiver: CallbackReceiver,
  options: CallbackWaitOptions,
): Promise<AnalysisResult> {
  subscription.bind(dataId);
  const { patience } = receiver;
  if (!receiver.reachable) return pollResult(client, dataId, options);
  const { signal } = options;
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const expectedMs = expectedDurationMs(options);
  // The inner polls do not learn: their start is not the submission's.
  const base: PollOptions = { ...options, clock, estimator: undefined };
  const polling = (extra: PollOptions) => (pollSignal: AbortSignal) =>
    pollResult(client, dataId, { ...base, ...extra, signal: pollSignal });

  const slowMs = patience.slowPollIntervalMs;
  const called = subscription.outcome.then((outcome): Woken => ({ outcome }));
  const phases = [
    // 1. Only the callback, until the expected end plus the grace.
    () => untilCallback(called, signal, clock, expectedMs + patience.graceMs),
    // 2. Late: a few slow polls; their phase's "timeout" only means "poll normally now".
    () =>
      raceCallback(called, signal, (s) =>
        polling({
          initialDelayMs: 0,
          firstPollMinMs: 0,
          minIntervalMs: slowMs,
          maxIntervalMs: slowMs,
          timeoutMs: slowMs * Math.max(0, patience.slowPolls - 1) + 1,
        })(s).catch((error) => {
          if (signal.aborted) throw error;
          return undefined;
        }),
      ),
    // 3. Normal polling, a callback still welcome.
    () => raceCallback(called, signal, polling({ initialDelayMs: options.minIntervalMs ?? 100 })),
  ];
  let woken: Woken | undefined;
  for (const [index, phase] of phases.entries()) {
    woken = await phase();
    if (woken) break;
    if (index === 0) subscription.late();
  }
  let result: AnalysisResult;
  if (woken && "result" in woken) result = woken.result;
  else {
    // Woken by the callback: the next poll goes out at once and its answer is
    // the verdict (never the callback's body). Refused or closed: poll normally.
    const now = woken?.outcome === "called";
    if (now) options.onCalledBack?.();
    result = await polling(
      now
        ? { initialDelayMs: 0, firstPollMinMs: 0 }
        : { initialDelayMs: options.minIntervalMs ?? 100 },
    )(signal);
  }
  learn(options, result, clock.now() - started);
  return result;
}

/** Feeds the shared estimator with how long the analysis took (the server's own figure when it has one). */
function learn(options: PollOptions, result: AnalysisResult, elapsedMs: number) {
  const serverMs = result.scan_results?.total_time;
  options.estimator?.observe(
    typeof serverMs === "number" && serverMs > 0 ? Math.min(serverMs, elapsedMs) : elapsedMs,
    options.sizeBytes,
  );
}

/**
 * The callback subscription of one upload, when the scan has a receiver
 * (and it is open and not full). A `callbackUrl` of the caller's own and a
 * receiver cannot both be used: one upload has one callback URL.
 */
export function subscribeCallback(options: {
  callbacks?: CallbackReceiver | undefined;
  callbackUrl?: string | undefined;
}): CallbackSubscription | undefined {
  if (!options.callbacks) return undefined;
  if (options.callbackUrl !== undefined) {
    throw new InvalidInputError(
      "give either `callbacks` (a receiver, which makes a callback URL per upload) or `callbackUrl`, not both",
    );
  }
  return options.callbacks.subscribe();
}

/**
 * The scan's one hook: waits for the finished result of an upload, with its
 * callback when it has one (and the upload was accepted just now, so that a
 * callback is coming), by polling otherwise.
 */
export function waitForResult(
  client: ClusterClient,
  dataId: string,
  callback: { subscription: CallbackSubscription; receiver: CallbackReceiver } | undefined,
  options: CallbackWaitOptions,
): Promise<AnalysisResult> {
  if (!callback) return pollResult(client, dataId, options);
  return waitWithCallback(client, dataId, callback.subscription, callback.receiver, options);
}

import type { AuthStrategy } from "../auth.js";
import { ReplayError } from "../errors.js";
import type { RetryBudget } from "../retry/budget.js";
import { type AttemptOutcome, decideRetry } from "../retry/decide.js";
import type { ResolvedRetryOptions } from "../retry/options.js";
import type { Clock } from "../timing/clock.js";
import type { Deadline } from "../timing/deadline.js";
import type { CallContext } from "../transport.js";

/** What openapi-fetch resolves a call to. */
export interface CallResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** One attempt's result, with the request as it was sent (for the auth strategy's renewal). */
export interface Attempt {
  result: CallResult;
  sent: Request | undefined;
}

/** Everything the loop of one call needs. */
export interface CallLoop {
  /** Package of the client, for error prefixes. */
  source: string;
  /** operationId, when the call matched one. */
  operation: string | undefined;
  method: string;
  /** Whether the body can be sent again. */
  replayable: boolean;
  auth: AuthStrategy | undefined;
  /** The retry settings of this call; `undefined` when retries are off. */
  retry: ResolvedRetryOptions | undefined;
  budget: RetryBudget | undefined;
  clock: Clock;
  /** The call's deadline: every attempt and wait is bounded by it; `undefined` when nothing can end the call early. */
  deadline: Deadline | undefined;
  /** Sends one attempt. */
  attempt(context: CallContext): Promise<Attempt>;
}

/**
 * The one retry loop of every client call: sends an attempt (signed afresh
 * by the transport), lets the auth strategy renew credentials once on
 * 400/401/403/405, asks {@link decideRetry} whether and when to try again, and waits
 * only when the wait fits the deadline and the client's budget allows it.
 * Otherwise the last answer (or error) is the call's.
 */
export async function runCallLoop(
  loop: CallLoop,
): Promise<{ result: CallResult; context: CallContext }> {
  let askedAuth = false;
  let costTaken = 0;
  for (let retries = 0; ; ) {
    const context: CallContext = {
      source: loop.source,
      operation: loop.operation,
      secrets: new Set(),
    };
    let outcome: { attempt: Attempt } | { error: unknown };
    try {
      outcome = { attempt: await loop.attempt(context) };
    } catch (error) {
      outcome = { error };
    }
    if ("attempt" in outcome && !askedAuth && mayRenew(loop, outcome.attempt)) {
      askedAuth = true;
      if (await renewCredentials(loop, outcome.attempt)) continue;
    }
    // An error before the request went out (credentials could not be obtained, a body
    // could not be serialised) is not a transport failure: the auth strategy's own
    // client has already applied the policy to its requests.
    const reachedServer = "attempt" in outcome || context.request !== undefined;
    if (
      reachedServer &&
      (await waitForRetry(loop, outcome, retries, (cost) => (costTaken += cost)))
    ) {
      retries++;
      continue;
    }
    if ("error" in outcome) throw outcome.error;
    if (outcome.attempt.result.response.ok) loop.budget?.succeeded(costTaken);
    return { result: outcome.attempt.result, context };
  }
}

/** Statuses after which the auth strategy may renew: 400 and 405 too, which the gateway uses for an expired session. */
const RENEWABLE = new Set([400, 401, 403, 405]);

/** Whether the auth strategy should be asked to renew: such a status and a strategy that can. */
function mayRenew(loop: CallLoop, attempt: Attempt): boolean {
  const { status } = attempt.result.response;
  return RENEWABLE.has(status) && !!loop.auth?.refresh && !!attempt.sent;
}

/** Lets the auth strategy renew; `true` to send again (refused for one-shot bodies). */
async function renewCredentials(loop: CallLoop, attempt: Attempt): Promise<boolean> {
  const { response } = attempt.result;
  // The strategy decides from the body why the request was refused.
  const renewed = await loop.auth?.refresh?.({
    response,
    request: attempt.sent as Request,
    body: attempt.result.error,
  });
  if (!renewed) return false;
  if (!loop.replayable) {
    throw new ReplayError(
      `${loop.operation ?? loop.method}: credentials were renewed after HTTP ${response.status}, but the request body was a one-shot stream and cannot be sent again; pass a Blob, bytes or a file path to allow a retry`,
      { source: loop.source },
    );
  }
  return true;
}

/**
 * Decides on a retry and waits for it. `true` once the wait is over; `false`
 * when the outcome stands (not retryable, out of budget, or the wait would
 * pass the deadline). A caller's abort during the wait is thrown.
 */
async function waitForRetry(
  loop: CallLoop,
  outcome: { attempt: Attempt } | { error: unknown },
  retries: number,
  charge: (cost: number) => void,
): Promise<boolean> {
  if (!loop.retry) return false;
  const seen: AttemptOutcome =
    "attempt" in outcome ? { response: outcome.attempt.result.response } : outcome;
  const decision = decideRetry(
    seen,
    { retries, method: loop.method, replayable: loop.replayable, now: loop.clock.now() },
    loop.retry,
  );
  if (!decision.retry || (loop.deadline && !loop.deadline.allows(decision.delayMs))) return false;
  const cost = loop.budget
    ? loop.budget.take(decision.reason === "timeout" ? "timeout" : "retry")
    : 0;
  if (cost === undefined) return false;
  charge(cost);
  try {
    await loop.clock.sleep(decision.delayMs, loop.deadline?.signal);
  } catch (error) {
    if (loop.deadline?.expired) return false;
    throw error;
  }
  return true;
}

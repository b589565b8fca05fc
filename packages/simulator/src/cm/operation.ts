import { type RouteMethod, route, type SimApp, type SimContext } from "../context.js";
import { CmHttpError } from "./errors.js";
import type { Caller } from "./oauth/token-store.js";
import { type RateDecision, withRateLimitHeaders } from "./rate-limiter.js";
import type { CmServices } from "./services.js";

/**
 * Operations whose spec declares 429, the only ones rate limiting applies
 * to (a test checks this list against `specs/central-management.yaml`).
 */
export const RATE_LIMITED_OPERATIONS: ReadonlySet<string> = new Set([
  "getOAuthToken",
  "getConnectionStatus",
  "getPmpReportDetails",
  "listPmpReports",
  "listMddReports",
  "getMddReportDetails",
  "listCoreInstances",
  "listCoreReports",
  "getAccountInventory",
  "getKioskProcessingOverview",
  "getKioskSessionDetail",
  "getKioskDevice",
  "listKioskDevices",
]);

/** A handler of a bearer-protected operation, told who calls. */
export type SecuredHandler = (c: SimContext, caller: Caller) => Response | Promise<Response>;

/**
 * Registers a bearer-protected operation: checks the token (401), counts
 * the request against the caller's rate limit where the spec declares 429
 * (with `X-RateLimit-*` on every answer), and turns a thrown
 * {@link CmHttpError} into its `CmError` response.
 */
export function securedOperation(
  app: SimApp,
  services: CmServices,
  method: RouteMethod,
  path: string,
  operationId: string,
  handler: SecuredHandler,
): void {
  const limited = RATE_LIMITED_OPERATIONS.has(operationId);
  route(app, services.ctx, method, path, operationId, async (c) => {
    let decision: RateDecision | undefined;
    let response: Response;
    try {
      const caller = services.tokens.authenticate(c.req.header("authorization"));
      decision = limited ? services.limiter.take(caller.clientId) : undefined;
      if (decision && !decision.allowed) throw services.limiter.tooManyRequests(decision);
      response = await handler(c, caller);
    } catch (error) {
      if (!(error instanceof CmHttpError)) throw error;
      response = error.toResponse();
    }
    return decision ? withRateLimitHeaders(response, decision) : response;
  });
}

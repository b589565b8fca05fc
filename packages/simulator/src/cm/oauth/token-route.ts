import { route, type SimApp } from "../../context.js";
import { withRateLimitHeaders } from "../rate-limiter.js";
import { readText } from "../request-body.js";
import type { CmServices } from "../services.js";

/** Token answers must not be cached (RFC 6749 §5.1). */
const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" };

function oauthError(status: 400 | 401, error: string, description: string): Response {
  return Response.json({ error, error_description: description }, { status, headers: NO_STORE });
}

/**
 * `getOAuthToken`: the client-credentials grant with form-encoded
 * credentials. Errors are OAuth 2.0 error responses (RFC 6749 §5.2): 400
 * `invalid_request` / `unsupported_grant_type`, 401 `invalid_client` (also
 * for a revoked client); 429 when the client's rate limit is used up.
 */
export function registerTokenRoute(app: SimApp, services: CmServices): void {
  route(app, services.ctx, "POST", "/o/oauth2/token", "getOAuthToken", async (c) => {
    const type = c.req.header("content-type") ?? "";
    if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
      return oauthError(
        400,
        "invalid_request",
        "The body must be application/x-www-form-urlencoded",
      );
    }
    let text: string;
    try {
      text = await readText(c, 64 * 1024);
    } catch {
      return oauthError(400, "invalid_request", "The request body is too large");
    }
    const form = new URLSearchParams(text);
    const grantType = form.get("grant_type");
    const clientId = form.get("client_id");
    const secret = form.get("client_secret");
    if (!grantType || !clientId || !secret) {
      return oauthError(
        400,
        "invalid_request",
        "client_id, client_secret and grant_type are required",
      );
    }
    if (grantType !== "client_credentials") {
      return oauthError(400, "unsupported_grant_type", "grant_type must be client_credentials");
    }
    if (!services.tokens.verifyClient(clientId, secret)) {
      return oauthError(401, "invalid_client", "Client authentication failed");
    }
    const decision = services.limiter.take(clientId);
    let response: Response;
    if (decision && !decision.allowed) {
      response = services.limiter.tooManyRequests(decision).toResponse();
    } else {
      const { accessToken, expiresInSeconds } = services.tokens.issue(clientId);
      response = Response.json(
        { access_token: accessToken, token_type: "Bearer", expires_in: expiresInSeconds },
        { headers: NO_STORE },
      );
    }
    return decision ? withRateLimitHeaders(response, decision) : response;
  });
}

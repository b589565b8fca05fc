/**
 * Which refusals of the Cluster gateway mean "the session sent may have
 * expired: log in again". The gateway document gives a different answer per
 * operation for a missing, invalid or expired `apikey`:
 * - 403 "Invalid user information" (`POST /file`, `POST /logout`);
 * - 400 "Bad Request (e.g. invalid header, apikey is missing or invalid)"
 *   (cancel and the batch operations);
 * - 405 "The user has no rights for this operation" (`GET /file/{data_id}`
 *   and the downloads; MetaDefender Core answers an invalid key there with
 *   405 "Access denied");
 * and gateways or proxies in front of them answer 401.
 *
 * 401, 403 and 405 renew whenever a session was sent: the gateway's body does
 * not reliably tell an expired session from a permission problem, and a
 * needless renewal costs one login. A 400 renews only when its body speaks of
 * the key (`apikey`, `session`, `user information`, Core's `Access denied`):
 * a 400 for a bad request (an unknown rule, an open batch) must not make every
 * such call log in again.
 */

/** Words of a 400 body that blame the credential rather than the request. */
const CREDENTIAL_WORDING =
  /api[\s_-]?key|session|user information|access denied|unauthori[sz]ed|authenticat|credential/i;

/** The error text of a gateway body: `{"err": ...}`, `{"error": ...}`, `{"message": ...}` or plain text. */
export function errorText(body: unknown): string {
  if (typeof body === "string") return body;
  if (!body || typeof body !== "object") return "";
  const fields = body as Record<string, unknown>;
  return [fields.err, fields.error, fields.message].filter((v) => typeof v === "string").join(" ");
}

/** Whether a refusal (`status`, parsed `body`) signals that the session sent may have expired. */
export function signalsExpiredSession(status: number, body: unknown): boolean {
  if (status === 401 || status === 403 || status === 405) return true;
  return status === 400 && CREDENTIAL_WORDING.test(errorText(body));
}

import { callContextOf, createHttpError, type FetchResult, type HttpError } from "@mdkit/core";
import { InvalidCredentialsError } from "../errors.js";

/**
 * Builds the typed error of a failed credential call, naming its cause.
 * `secrets` are the credentials the call sent in its body (password, client
 * secret): scrubbed even when too short for the process-wide registry.
 */
export function credentialError(
  result: FetchResult<unknown>,
  rejectedHint: string,
  secrets: readonly string[] = [],
): HttpError {
  const context = callContextOf(result);
  const status = result.response.status;
  const body = result.error as { error?: unknown } | undefined;
  const reason = typeof body?.error === "string" ? body.error : undefined;
  const init = {
    status,
    source: "@mdkit/auth",
    operation: context?.operation,
    request: context?.request ?? { method: "POST", url: result.response.url },
    response: result.response,
    body: result.error,
    secrets: [...(context?.secrets ?? []), ...secrets],
  };
  const rejected =
    status === 401 ||
    status === 403 ||
    (status === 400 &&
      ["invalid_client", "unauthorized_client", "invalid_grant"].includes(reason ?? ""));
  if (rejected) return new InvalidCredentialsError({ ...init, reason, hint: rejectedHint });
  if (status === 429)
    return createHttpError({ ...init, hint: "rate limited: wait before asking again" });
  if (status >= 500) return createHttpError({ ...init, hint: "server error: try again later" });
  return createHttpError(init);
}

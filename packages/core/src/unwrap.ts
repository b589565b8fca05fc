import { callContextOf } from "./client.js";
import { createHttpError } from "./errors.js";

/** The shape of an openapi-fetch result. */
export interface FetchResult<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/**
 * Returns the data of a successful call or throws the typed, redacted
 * {@link HttpError} subclass for its status (`NotFoundError`,
 * `ServiceUnavailableError`, ...). Accepts the result or its promise.
 *
 * @example
 * ```ts
 * const rules = await unwrap(cluster.GET("/file/rules"));
 * ```
 */
export async function unwrap<D>(result: FetchResult<D> | Promise<FetchResult<D>>): Promise<D> {
  const settled = await result;
  if (settled.response.ok) return settled.data as D;
  const context = callContextOf(settled);
  throw createHttpError({
    status: settled.response.status,
    source: context?.source ?? "@mdkit/core",
    operation: context?.operation,
    request: context?.request ?? { method: "?", url: settled.response.url },
    response: settled.response,
    body: settled.error,
    secrets: context?.secrets ?? [],
  });
}

import type { Client } from "openapi-fetch";
import { type ApiClientConfig, createApiClient as createPortableClient } from "../client.js";
import { createNodeFetch } from "./node-fetch.js";

/**
 * The Node entry's `createApiClient`: identical to the portable one, except
 * that without an injected `fetch` it sends requests through
 * {@link createNodeFetch} (with the client's connect, headers and idle
 * timeouts), so uploads stream from disk in constant memory and no request
 * waits forever.
 *
 * @example
 * ```ts
 * import { createApiClient } from "@mdkit/core/node";
 * import type { paths } from "./generated/openapi.js";
 * import { operations } from "./generated/operations.js";
 *
 * // Requests go through createNodeFetch: a stalled connect, missing headers or
 * // a silent body end with a RequestTimeoutError instead of waiting forever.
 * const client = createApiClient<paths>({
 *   source: "@mdkit/cluster",
 *   baseUrl: "https://gateway.example",
 *   operations,
 *   connectTimeoutMs: 5_000,
 * });
 * ```
 */
export function createApiClient<Paths extends {}>(config: ApiClientConfig): Client<Paths> {
  const fetch =
    config.fetch ??
    createNodeFetch({
      connectTimeoutMs: config.connectTimeoutMs,
      headersTimeoutMs: config.headersTimeoutMs,
      idleTimeoutMs: config.idleTimeoutMs,
      clock: config.clock,
    });
  return createPortableClient<Paths>({ ...config, fetch });
}

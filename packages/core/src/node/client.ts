import type { Client } from "openapi-fetch";
import { type ApiClientConfig, createApiClient as createPortableClient } from "../client.js";
import { createNodeFetch } from "./node-fetch.js";

/**
 * The Node entry's `createApiClient`: identical to the portable one, except
 * that without an injected `fetch` it sends requests through
 * {@link createNodeFetch} (with the client's connect, headers and idle
 * timeouts), so uploads stream from disk in constant memory and no request
 * waits forever.
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

import type { Client } from "openapi-fetch";
import { type ApiClientConfig, createApiClient as createPortableClient } from "../client.js";
import { createNodeFetch } from "./node-fetch.js";

/**
 * The Node entry's `createApiClient`: identical to the portable one, except
 * that without an injected `fetch` it sends requests through
 * {@link createNodeFetch}, so uploads stream from disk in constant memory.
 */
export function createApiClient<Paths extends {}>(config: ApiClientConfig): Client<Paths> {
  return createPortableClient<Paths>({ ...config, fetch: config.fetch ?? createNodeFetch() });
}

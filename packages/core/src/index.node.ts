/**
 * Everything of the portable entry; clients created here default to the
 * `node:http` transport (see `createNodeFetch`) instead of the global
 * `fetch`, whose streamed request bodies are held in memory.
 *
 * @module @mdkit/core (Node entry)
 */
export * from "./index.js";
export { createApiClient } from "./node/client.js";
export { FileBlob, openFileBlob } from "./node/file-body.js";
export {
  createNodeFetch,
  NODE_FETCH_TIMEOUTS,
  type NodeFetch,
  type NodeFetchOptions,
} from "./node/node-fetch.js";

/**
 * The Node entry, `@mdkit/core/node` (also what `@mdkit/core` resolves to
 * under Node's `node` export condition): everything of the portable entry,
 * plus file bodies (`openFileBlob`, `FileBlob`, `openRegularFile`) and the `node:http` transport
 * (`createNodeFetch`). Clients created here default to that transport instead
 * of the global `fetch`, whose streamed request bodies are held in memory.
 * Import it by its subpath: bundlers and `moduleResolution: "bundler"` do not
 * apply the `node` condition.
 *
 * @module @mdkit/core/node
 */
export * from "./index.js";
export { createApiClient } from "./node/client.js";
export { FileBlob, openFileBlob } from "./node/file-body.js";
export { FileChangedError } from "./node/file-changed-error.js";
export {
  createNodeFetch,
  NODE_FETCH_TIMEOUTS,
  type NodeFetch,
  type NodeFetchOptions,
} from "./node/node-fetch.js";
export { openRegularFile } from "./node/open-regular-file.js";
export { readRegularFile } from "./node/read-regular-file.js";
export type { FileIdentity } from "./node/regular-file-check.js";

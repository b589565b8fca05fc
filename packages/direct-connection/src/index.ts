/**
 * Reach on-premise MetaDefender Core and ICAP through My OPSWAT Central
 * Management's direct connections, without opening inbound traffic: open a
 * connection, wait until it is connected, send any product request through a
 * `fetch` (so the typed `@mdkit/cluster` client, and `@mdkit/scan`, work
 * through it unchanged), and close it — `await using` closes it for you.
 *
 * @module @mdkit/direct-connection
 */
export {
  type DirectConnection,
  type OpenDirectConnectionOptions,
  openDirectConnection,
} from "./connection.js";
export { DirectConnectionError, DirectConnectionTimeoutError } from "./errors.js";
export { createTunnelFetch } from "./tunnel-fetch.js";

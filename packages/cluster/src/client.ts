import { type BaseClientOptions, createApiClient } from "@mdkit/core";
import type { Client } from "openapi-fetch";
import { operationTable } from "./generated/operations.js";
import type { paths } from "./generated/schema.js";

/** Options of {@link createClusterClient}. */
export interface ClusterClientOptions extends BaseClientOptions {
  /**
   * Base URL of the MetaDefender Distributed Cluster API Gateway (or of a
   * single MetaDefender Core), e.g. `http://localhost:8899`. Required: the
   * gateway runs on your own infrastructure.
   */
  baseUrl: string;
}

/** A typed, non-throwing client of the Cluster gateway: `{ data, error, response }` per call. */
export type ClusterClient = Client<paths>;

/**
 * Creates a typed client of the MetaDefender Distributed Cluster API
 * Gateway. Every path, parameter, header and body is typed from
 * `specs/cluster.yaml`; uploads take `Blob`, bytes, `ReadableStream` or an
 * async iterable and are never buffered; downloads resolve to a
 * `ReadableStream`.
 *
 * @example
 * ```ts
 * import { createClusterClient, unwrap } from "@mdkit/cluster";
 *
 * const cluster = createClusterClient({
 *   baseUrl: "http://localhost:8899",
 *   auth: () => ({ apikey: process.env.MDKIT_CLUSTER_APIKEY ?? "" }),
 * });
 * const rules = await unwrap(cluster.GET("/file/rules"));
 * ```
 */
export function createClusterClient(options: ClusterClientOptions): ClusterClient {
  return createApiClient<paths>({
    ...options,
    source: "@mdkit/cluster",
    operations: operationTable,
    // Cancelling twice does no harm; uploads, logins and batch changes are never sent twice.
    idempotentOperations: ["cancelAnalysis", "cancelBatch"],
    // Verdicts are read from these bodies: a repeated key must never pick one of two answers.
    strictJson: true,
  });
}

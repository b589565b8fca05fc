/**
 * Typed client of the MetaDefender Distributed Cluster API Gateway, generated
 * from `specs/cluster.yaml`: login/logout, file upload, analysis results,
 * hash lookup, rules, sanitized downloads, cancellation and batches. The
 * same client speaks to a single MetaDefender Core.
 *
 * @module @mdkit/cluster
 */
export {
  AuthenticationError,
  type AuthOption,
  type AuthStrategy,
  BadRequestError,
  type BinaryBody,
  type CallOptions,
  ClientError,
  ConfigurationError,
  DeadlineExceededError,
  HttpError,
  InternalServerError,
  isHttpError,
  isMdkitError,
  LengthRequiredError,
  MalformedResponseError,
  MdkitError,
  MethodNotAllowedError,
  NetworkError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ReplayError,
  RequestTimeoutError,
  ResponseTooLargeError,
  type RetryOptions,
  ServerError,
  ServiceUnavailableError,
  UnprocessableEntityError,
  unwrap,
} from "@mdkit/core";
export { type ClusterClient, type ClusterClientOptions, createClusterClient } from "./client.js";
export { operationTable } from "./generated/operations.js";
export type { components, operations as Operations, paths } from "./generated/schema.js";
export * from "./types.js";

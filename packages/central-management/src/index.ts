/**
 * Typed client of the My OPSWAT Central Management API, generated from
 * `specs/central-management.yaml`: OAuth tokens, direct connections to
 * MetaDefender Core / ICAP, PMP (Kiosk, Endpoint), MetaDefender Drive and
 * Core reports, account inventory and Kiosk devices.
 *
 * @module @mdkit/central-management
 */
export {
  AuthenticationError,
  type AuthOption,
  type AuthStrategy,
  BadRequestError,
  type CallOptions,
  ClientError,
  ConfigurationError,
  DeadlineExceededError,
  HttpError,
  InternalServerError,
  isHttpError,
  isMdkitError,
  MalformedResponseError,
  MdkitError,
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
  unwrap,
} from "@mdkit/core";
export {
  type CentralManagementClient,
  type CentralManagementClientOptions,
  createCentralManagementClient,
  REGIONS,
  type Region,
} from "./client.js";
export { operationTable } from "./generated/operations.js";
export type { components, operations as Operations, paths } from "./generated/schema.js";
export { parseJsonArrayStream } from "./internal/json-array-stream.js";
export {
  type CursorReportPath,
  type PagedIterable,
  type PaginateOptions,
  paginateCoreInstances,
  paginateReports,
  reportDetails,
} from "./paginate.js";
export * from "./types.js";

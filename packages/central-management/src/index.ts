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
export { ReportPeriodError, type ReportPeriodErrorInit } from "./errors.js";
export { operationTable } from "./generated/operations.js";
export type { components, operations as Operations, paths } from "./generated/schema.js";
export { parseJsonArrayStream } from "./internal/json-array-stream.js";
export {
  type CursorReportPath,
  type PagedIterable,
  type PaginateOptions,
  paginateCoreInstances,
  paginateReports,
  type ReportPaginateOptions,
} from "./paginate.js";
export {
  createRateLimiter,
  type RateLimiter,
  type RateLimiterSnapshot,
  type RateLimitOptions,
} from "./rate-limit.js";
export { reportDetails } from "./report-details.js";
export {
  REPORT_PERIOD_LIMITS,
  type ReportPeriodLimit,
  type ReportPeriodOptions,
  resolveReportStart,
} from "./report-periods.js";
export * from "./types.js";

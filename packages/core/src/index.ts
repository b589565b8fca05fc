/**
 * The shared runtime of the mdkit API clients: the typed, redacting error
 * hierarchy, binary body handling, the auth seam and the openapi-fetch
 * client factory both `@mdkit/central-management` and `@mdkit/cluster`
 * are built on. Most users reach these through those packages, which
 * re-export what they need.
 *
 * @module @mdkit/core
 */
export {
  type AuthOption,
  type AuthStrategy,
  type RefreshContext,
  secretsOf,
  toAuthStrategy,
} from "./auth.js";
export {
  type BinaryBody,
  isBinaryBody,
  isReplayableBody,
  knownByteLength,
  toFetchBody,
  toReadableStream,
} from "./binary.js";
export { serializeBody } from "./body-serializer.js";
export {
  type ApiClientConfig,
  type BaseClientOptions,
  type CallOptions,
  callContextOf,
  createApiClient,
  validateBaseUrl,
} from "./client.js";
export {
  AuthenticationError,
  BadRequestError,
  ClientError,
  ConfigurationError,
  createHttpError,
  HttpError,
  type HttpErrorInit,
  InternalServerError,
  isHttpError,
  isMdkitError,
  LengthRequiredError,
  MdkitError,
  type MdkitErrorOptions,
  MethodNotAllowedError,
  NetworkError,
  NotFoundError,
  PermissionDeniedError,
  parseRetryAfter,
  RateLimitError,
  REDACTED,
  type RedactedRequest,
  ReplayError,
  ServerError,
  ServiceUnavailableError,
  UnprocessableEntityError,
} from "./errors.js";
export type { OperationInfo, OperationTable, ParseAs } from "./operations.js";
export {
  isSecretField,
  isSecretHeader,
  redactHeaders,
  redactText,
  redactUrl,
  redactValue,
  secretRedactor,
} from "./redact.js";
export { RetryBudget } from "./retry/budget.js";
export {
  type AttemptOutcome,
  decideRetry,
  neverSent,
  type RetryDecision,
  type RetryFacts,
  type RetryReason,
} from "./retry/decide.js";
export {
  RETRY_DEFAULTS,
  type ResolvedRetryOptions,
  type RetryBudgetOptions,
  type RetryOptions,
  resolveRetryOptions,
} from "./retry/options.js";
export {
  type RateLimitHeaders,
  rateLimitResetDelay,
  readRateLimitHeaders,
} from "./retry/rate-limit-headers.js";
export {
  MAX_REGISTERED_SECRETS,
  MIN_REGISTERED_SECRET_LENGTH,
  registeredSecrets,
  registerSecret,
} from "./secret-registry.js";
export type { RequestThrottle, ThrottleRelease } from "./throttle.js";
export { type BackoffOptions, backoffDelay } from "./timing/backoff.js";
export { type Clock, systemClock } from "./timing/clock.js";
export {
  createDeadline,
  type Deadline,
  type DeadlineOptions,
  deadlineAt,
} from "./timing/deadline.js";
export { clampDelay, MAX_TIMER_MS, sleep } from "./timing/sleep.js";
export { WaitQueue } from "./timing/wait-queue.js";
export {
  type CallContext,
  createTransport,
  DEFAULT_MAX_BODY_BYTES,
  ENFORCES_TIMEOUTS,
  type FetchLike,
  type TransportOptions,
} from "./transport.js";
export {
  DeadlineExceededError,
  isDeadlineExceeded,
  MalformedResponseError,
  RequestTimeoutError,
  type RequestTimeoutErrorInit,
  ResponseTooLargeError,
  type TimeoutPhase,
} from "./transport-errors.js";
export { type FetchResult, unwrap } from "./unwrap.js";

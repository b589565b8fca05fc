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
export {
  MAX_REGISTERED_SECRETS,
  MIN_REGISTERED_SECRET_LENGTH,
  registeredSecrets,
  registerSecret,
} from "./secret-registry.js";
export {
  type CallContext,
  createTransport,
  type FetchLike,
  type TransportOptions,
} from "./transport.js";
export { type FetchResult, unwrap } from "./unwrap.js";

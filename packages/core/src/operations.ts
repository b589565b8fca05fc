/** How a response body is read by default. */
export type ParseAs = "json" | "text" | "stream";

/**
 * What the generator records about each operation of a spec, so that the
 * runtime can apply per-operation defaults without the caller repeating
 * them (request media type, how to read the response) and name the
 * operation in errors.
 */
export interface OperationInfo {
  /** operationId from the spec. */
  operationId: string;
  /** Upper-case HTTP method. */
  method: string;
  /** Path template as in the spec, e.g. `/file/{data_id}`. */
  path: string;
  /** Media types the request body may have, in spec order, when the operation takes one. */
  requestContentTypes?: readonly string[];
  /** How the success response is read: JSON, text or a byte stream. */
  parseAs: ParseAs;
}

/** Operations keyed by `"<METHOD> <path template>"`. */
export type OperationTable = Readonly<Record<string, OperationInfo>>;

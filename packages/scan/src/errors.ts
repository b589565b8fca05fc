import { MdkitError, type MdkitErrorOptions } from "@mdkit/core";

const source = "@mdkit/scan";

/** Base class of the errors `@mdkit/scan` raises itself (HTTP failures stay `HttpError`s). */
export class ScanError extends MdkitError {
  /** The submission concerned, when it got that far: poll it again to resume. */
  readonly dataId: string | undefined;
  constructor(message: string, options: MdkitErrorOptions & { dataId?: string | undefined } = {}) {
    super(message, { source, ...options });
    this.dataId = options.dataId;
  }
}

/** The result did not finish before the deadline. The file is NOT clean; `dataId` lets you resume. */
export class ScanTimeoutError extends ScanError {}

/** The caller aborted. Work already submitted was cancelled on the server where possible. */
export class ScanAbortedError extends ScanError {}

/** The file is larger than the rule's `max_file_size`; nothing was uploaded. */
export class FileTooLargeError extends ScanError {
  constructor(
    message: string,
    readonly size: number,
    readonly maxFileSize: number,
    options: MdkitErrorOptions = {},
  ) {
    super(message, options);
  }
}

/** The server sent a result mdkit cannot interpret (missing fields, wrong types). Never read as clean. */
export class MalformedResultError extends ScanError {}

/** A batch certificate's signature does not verify against its embedded certificate. */
export class CertificateVerificationError extends ScanError {}

/** A bad input: no size for a stream, an empty name, a path outside the destination. */
export class InvalidInputError extends ScanError {}

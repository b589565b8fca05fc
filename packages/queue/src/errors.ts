import { MdkitError, type MdkitErrorOptions } from "@mdkit/core";

const source = "@mdkit/queue";

/** Base class of the errors `@mdkit/queue` raises itself. */
export class QueueError extends MdkitError {
  constructor(message: string, options: MdkitErrorOptions = {}) {
    super(message, { source, ...options });
  }
}

/** An input given to `add()` that cannot be queued (not a file, an unsupported URL scheme). */
export class QueueInputError extends QueueError {}

/**
 * The content a worker read is not the content that was queued (the file
 * changed after `add()`, or the gateway analysed other bytes): the job fails
 * instead of reporting a verdict about other content. Re-add the file to
 * scan its new content.
 */
export class ContentChangedError extends QueueError {
  /** The gateway's submission of the other content, when the mismatch came from its result. */
  readonly dataId: string | undefined;
  constructor(
    message: string,
    /** SHA-256 recorded when the file was queued. */
    readonly expectedSha256: string,
    /** SHA-256 of what was read or analysed. */
    readonly actualSha256: string,
    options: MdkitErrorOptions & { dataId?: string | undefined } = {},
  ) {
    super(message, options);
    this.dataId = options.dataId;
  }
}

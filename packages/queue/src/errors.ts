import { MdkitError, type MdkitErrorOptions } from "@mdkit/core";

const source = "@mdkit/queue";

/**
 * Base class of the errors `@mdkit/queue` raises, and the error of any
 * failure of Redis or BullMQ it passes on: the original (an ioredis
 * `ReplyError`, say, which may quote the command's arguments or a password
 * a hostile server echoes) is its `cause`, redacted like the message.
 */
export class QueueError extends MdkitError {
  constructor(message: string, options: MdkitErrorOptions = {}) {
    super(message, { source, ...options });
  }
}

/**
 * Redis could not be reached within the connect deadline
 * (`connectTimeoutMs`): nothing listens there, the network drops the
 * connection, or the server does not finish the handshake (a refused
 * password, say). `where` names the host and port or socket, never the
 * password; the last connection error is the `cause`.
 */
export class RedisUnreachableError extends QueueError {
  constructor(
    /** The host and port (or socket path) that was tried. */
    readonly where: string,
    /** The deadline that passed, in ms. */
    readonly timeoutMs: number,
    options: MdkitErrorOptions = {},
  ) {
    super(
      `could not reach Redis at ${where} within ${timeoutMs} ms; check that redis-server runs there and that the connection (URL, password, TLS) is right`,
      options,
    );
  }
}

/**
 * Redis answered but refused the connection's credentials (`AUTH` or
 * `HELLO` failed): retrying will not help. `where` names the host and port
 * or socket, never the password; the server's reply is the `cause`, redacted.
 */
export class RedisAuthError extends QueueError {
  constructor(
    /** The host and port (or socket path) that refused. */
    readonly where: string,
    options: MdkitErrorOptions = {},
  ) {
    super(
      `Redis at ${where} refused the connection's credentials; check the password and user of the connection (the URL's user:password or the password option)`,
      options,
    );
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

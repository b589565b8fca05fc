import { MdkitError, type MdkitErrorOptions } from "@mdkit/core";

/** A direct connection could not be used: it failed, was closed, or never connected in time. */
export class DirectConnectionError extends MdkitError {
  /** The connection concerned. */
  readonly connectionId: string | undefined;
  /** Its last known status (`REQUESTING`, `FAILED`, `DISCONNECTED`, ...). */
  readonly status: string | undefined;
  constructor(
    message: string,
    options: MdkitErrorOptions & {
      connectionId?: string | undefined;
      status?: string | undefined;
    } = {},
  ) {
    super(message, { source: "@mdkit/direct-connection", ...options });
    this.connectionId = options.connectionId;
    this.status = options.status;
  }
}

/** The connection did not reach `CONNECTED` within `timeoutMs`; it was closed again. */
export class DirectConnectionTimeoutError extends DirectConnectionError {}

import { MdkitError, type MdkitErrorOptions } from "@mdkit/core";

const source = "@mdkit/scan";

/** What a {@link ScanError} may name besides its message and cause. */
export interface ScanErrorOptions extends MdkitErrorOptions {
  /** The submission concerned. */
  dataId?: string | undefined;
  /** The batch concerned. */
  batchId?: string | undefined;
}

/** Base class of the errors `@mdkit/scan` raises itself (HTTP failures stay `HttpError`s). */
export class ScanError extends MdkitError {
  /** The submission concerned, when it got that far: poll it again to resume (`resumeScan`). */
  readonly dataId: string | undefined;
  /** The batch concerned, when one was created: pick it up again with `resumeBatch`. */
  readonly batchId: string | undefined;
  constructor(message: string, options: ScanErrorOptions = {}) {
    super(message, { source, ...options });
    this.dataId = options.dataId;
    this.batchId = options.batchId;
  }
}

/** The result did not finish before the deadline. The file is NOT clean; `dataId` (or a batch's `batchId`) lets you resume. */
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

/**
 * A batch failed after the gateway created it, for a reason that is not a
 * `ScanError` of its own (an HTTP error, a lost connection, a refused
 * upload): `batchId` names it and `cause` says why. The batch is not clean;
 * `resumeBatch(client, batchId)` picks it up when the cause has passed.
 */
export class BatchError extends ScanError {
  /** The batch concerned. */
  declare readonly batchId: string;
  constructor(message: string, options: ScanErrorOptions & { batchId: string }) {
    super(message, options);
  }
}

/** A bad input: no size for a stream, an empty name, a path outside the destination. */
export class InvalidInputError extends ScanError {}

/**
 * The gateway answered an identifier (`data_id`, `batch_id`) that is missing
 * or not a plain token: empty, `.` or `..`, longer than 128 characters, or
 * holding anything but letters, digits, `-`, `_`, `.` and `~`. Nothing was
 * polled with it: such an id would address another resource (`..` polls
 * `GET /`, `{}` polls the literal `/file/%7Bdata_id%7D`). Never read as clean.
 */
export class InvalidDataIdError extends MalformedResultError {
  constructor(
    message: string,
    /** Which field carried the id, e.g. `data_id` of an upload answer. */
    readonly field: string,
    options: MdkitErrorOptions = {},
  ) {
    super(message, options);
  }
}

/**
 * A result that is not about what was asked: another `data_id` than the one
 * polled, a hash lookup answered with the result of another hash, or a
 * result whose `file_info` hash is not the content's. Never read as clean.
 */
export class ResultMismatchError extends MalformedResultError {
  constructor(
    message: string,
    /** The field that did not match, e.g. `data_id` or `file_info.sha256`. */
    readonly field: string,
    /** What was asked (an id or a hash). */
    readonly expected: string,
    /** What the server answered (cut to 128 characters), `undefined` when absent. */
    readonly received: string | undefined,
    options: MdkitErrorOptions & { dataId?: string | undefined } = {},
  ) {
    super(message, options);
  }
}

/**
 * An entry of a scanned directory that was not scanned: a symbolic link (not
 * followed), a FIFO, a socket, a device, or an entry that could not be read.
 * `scanDirectory` reports each as a failed item, so that a run over a folder
 * never passes while part of it went unseen.
 */
export class SkippedEntryError extends InvalidInputError {
  constructor(
    message: string,
    /** The entry's path. */
    readonly path: string,
    /** Why it was not scanned. */
    readonly reason: SkipReason,
    options: MdkitErrorOptions = {},
  ) {
    super(message, options);
  }
}

/** Why a directory entry was not scanned (see {@link SkippedEntryError}). */
export type SkipReason = "symlink" | "fifo" | "socket" | "device" | "unreadable" | "other";

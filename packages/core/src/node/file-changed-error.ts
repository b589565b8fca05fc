import { MdkitError, type MdkitErrorOptions } from "../errors.js";

/**
 * A file changed between the moment it was looked at (its size and identity
 * read by `stat`) and the moment its bytes were read: another file, a FIFO or
 * a device took its place, or it ended before the size it had. Nothing read
 * from it is used; read it again once nothing writes to it.
 *
 * @example
 * ```ts
 * import { FileChangedError, openFileBlob } from "@mdkit/core/node";
 *
 * const blob = await openFileBlob("./report.pdf");
 * try {
 *   await blob.arrayBuffer();
 * } catch (error) {
 *   if (error instanceof FileChangedError) console.error(error.path, error.reason);
 * }
 * ```
 */
export class FileChangedError extends MdkitError {
  constructor(
    /** The file's path. */
    readonly path: string,
    /** What changed, e.g. "it was replaced by another file". */
    readonly reason: string,
    options: MdkitErrorOptions = {},
  ) {
    super(`${path} changed while it was being read: ${reason}`, options);
  }
}

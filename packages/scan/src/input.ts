import { type BinaryBody, toReadableStream } from "@mdkit/core";
import { InvalidInputError } from "./errors.js";
import type { Sha256Hasher } from "./hash.js";

/**
 * A file to scan, however it is held:
 * - a `Blob` or `File` (a `File`'s name is used);
 * - `{ data, name? }` with bytes;
 * - `{ stream, size, name? }` with a `ReadableStream` or async iterable and its exact size
 *   (the gateway refuses uploads without `Content-Length`);
 * - a {@link FileSource} (what `@mdkit/scan/node`'s `fromPath` returns; its `scanFile` also takes a path string).
 */
export type ScanInput =
  | Blob
  | { data: Blob | Uint8Array | ArrayBuffer; name?: string }
  | { stream: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>; size: number; name?: string }
  | FileSource;

/** A normalised input: where the bytes come from, and what is known about them. */
export interface FileSource {
  /** Display name sent as `filename`, if any. */
  readonly name: string | undefined;
  /** Exact size in bytes. */
  readonly size: number;
  /** Whether `open()` can be called more than once (files, blobs: yes; streams: no). */
  readonly replayable: boolean;
  /** The bytes, as a body for one upload. */
  open(): BinaryBody;
  /** The SHA-256 in hex, computed before any upload; absent for one-shot streams. */
  sha256?(hasher: Sha256Hasher): Promise<string>;
  /** A stable identity for journals (a path, or undefined). */
  readonly key?: string | undefined;
}

const UNREADABLE = Symbol("@mdkit/scan unreadable input");

/**
 * An input that could not be opened (e.g. a path that does not exist):
 * normalising it throws `error`, so that a `scanFiles` run reports it as that
 * input's failed item instead of ending the run.
 *
 * @example
 * ```ts
 * const missing = unreadableInput(new Error("missing.pdf: no such file"));
 * for await (const item of scanFiles(cluster, [missing, { data: bytes, name: "ok.txt" }])) {
 *   if (!item.ok) console.log(item.error); // Error: missing.pdf: no such file
 *   else console.log(item.result.verdict); // "clean"
 * }
 * ```
 */
export function unreadableInput(error: unknown): ScanInput {
  return { [UNREADABLE]: error } as unknown as ScanInput;
}

const isFileSource = (value: unknown): value is FileSource =>
  typeof value === "object" && value !== null && typeof (value as FileSource).open === "function";

function blobSource(blob: Blob, name: string | undefined): FileSource {
  return {
    name,
    size: blob.size,
    replayable: true,
    open: () => blob,
    sha256: (hasher) => hasher(blob.stream()),
  };
}

/**
 * Normalises any {@link ScanInput} into a {@link FileSource}.
 *
 * @example
 * ```ts
 * const source = toFileSource({ data: new Uint8Array([1, 2, 3]), name: "a.txt" });
 * source.size; // 3
 * source.name; // "a.txt"
 * source.replayable; // true
 * ```
 */
export function toFileSource(input: ScanInput): FileSource {
  if (typeof input === "object" && input !== null && UNREADABLE in input)
    throw (input as { [UNREADABLE]: unknown })[UNREADABLE];
  if (isFileSource(input)) return input;
  if (input instanceof Blob) {
    return blobSource(
      input,
      typeof File !== "undefined" && input instanceof File ? input.name : undefined,
    );
  }
  if (typeof input !== "object" || input === null) {
    throw new InvalidInputError(
      "scanFile takes a Blob, { data }, { stream, size } or a FileSource; for a path, import scanFile from @mdkit/scan/node",
    );
  }
  if ("data" in input) {
    const data = input.data instanceof Blob ? input.data : new Blob([input.data as BlobPart]);
    return blobSource(data, input.name);
  }
  if ("stream" in input) {
    if (!Number.isSafeInteger(input.size) || input.size < 0) {
      throw new InvalidInputError(
        "a stream input needs its exact `size` in bytes: the gateway refuses uploads without Content-Length (on Node, fromStream() spools a stream of unknown size to a temporary file)",
      );
    }
    let used = false;
    const stream = input.stream;
    return {
      name: input.name,
      size: input.size,
      replayable: false,
      open() {
        if (used) throw new InvalidInputError("a stream input can be uploaded only once");
        used = true;
        return stream instanceof ReadableStream ? stream : toReadableStream(stream);
      },
    };
  }
  throw new InvalidInputError("unrecognised scan input");
}

/**
 * The `filename` header value: the last path segment, UTF-8 percent-encoded,
 * so any name (non-ASCII, quotes, CR/LF, `%`) survives an HTTP header intact.
 *
 * @example
 * ```ts
 * import { encodeFilename } from "@mdkit/scan";
 *
 * encodeFilename("reports/Q3 résumé.pdf"); // "Q3%20r%C3%A9sum%C3%A9.pdf"
 * ```
 */
export function encodeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  return encodeURIComponent(base);
}

import { constants } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { InvalidInputError } from "../errors.js";
import type { FileSource } from "../input.js";
import { isPlainId } from "../internal/ids.js";
import type { ResumePoint } from "../resume.js";
import type { ScanFilesItem } from "../scan-files.js";
import { nodeSha256 } from "./hash.js";

/**
 * One line of the journal (JSON Lines). `sha256` is the SHA-256 of the
 * content the line is about; lines without it (written by older versions)
 * are never trusted for a verdict.
 */
type Entry = {
  key: string;
  size?: number;
  mtimeMs?: number;
  sha256?: string;
} & (
  | { t: "pending" }
  | { t: "submitted"; dataId: string }
  | { t: "finished"; dataId: string; verdict: string }
);

/** What the journal knows of one path: the last line about it. */
interface Known {
  sha256: string | undefined;
  dataId: string | undefined;
  /** The last line is `pending`: an upload of this content started, its `data_id` unknown. */
  pending?: boolean;
  verdict?: string;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** A line read back, or `undefined` when it is torn, foreign or malformed. */
function parseLine(line: string): Entry | undefined {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof entry !== "object" || entry === null) return undefined;
  const { key, t } = entry as { key?: unknown; t?: unknown };
  if (typeof key !== "string" || !["pending", "submitted", "finished"].includes(String(t)))
    return undefined;
  return entry as Entry;
}

function knownOf(entry: Entry): Known {
  const sha256 =
    typeof entry.sha256 === "string" && SHA256.test(entry.sha256) ? entry.sha256 : undefined;
  const dataId = entry.t !== "pending" && isPlainId(entry.dataId) ? entry.dataId : undefined;
  return {
    sha256,
    dataId,
    ...(entry.t === "pending" ? { pending: true } : {}),
    ...(entry.t === "finished" && typeof entry.verdict === "string"
      ? { verdict: entry.verdict }
      : {}),
  };
}

const statOf = (source: FileSource) => ({
  size: source.size,
  ...((source as { mtimeMs?: number }).mtimeMs !== undefined
    ? { mtimeMs: (source as { mtimeMs?: number }).mtimeMs }
    : {}),
});

/** Longest journal line read; a longer one is not mdkit's and is skipped. */
const MAX_LINE_BYTES = 64 * 1024;

/** How much of the journal one read brings. */
const READ_BYTES = 64 * 1024;

/** The chunks of the file open as `handle`, from its start, one read each (a fresh buffer per chunk). */
async function* chunksOf(handle: FileHandle): AsyncGenerator<Buffer> {
  for (let position = 0; ; ) {
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, READ_BYTES, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}

/**
 * Calls `onLine` with each line of the file open as `handle`, read a chunk
 * at a time: lines over {@link MAX_LINE_BYTES} are skipped without being
 * held. Resolves whether the file ends with a newline (`undefined` when it
 * is empty).
 */
async function readLines(
  handle: FileHandle,
  onLine: (line: string) => void,
): Promise<boolean | undefined> {
  let carry: Buffer[] = [];
  let carried = 0;
  let skipping = false;
  let last: number | undefined;
  for await (const chunk of chunksOf(handle)) {
    last = chunk[chunk.length - 1];
    let start = 0;
    for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
      if (!skipping && carried + end - start <= MAX_LINE_BYTES) {
        onLine(Buffer.concat([...carry, chunk.subarray(start, end)]).toString("utf8"));
      }
      carry = [];
      carried = 0;
      skipping = false;
      start = end + 1;
    }
    const rest = chunk.length - start;
    if (skipping || carried + rest > MAX_LINE_BYTES) {
      skipping = true;
      carry = [];
      carried = 0;
    } else if (rest > 0) {
      carry.push(chunk.subarray(start));
      carried += rest;
    }
  }
  if (carried > 0 && !skipping) onLine(Buffer.concat(carry).toString("utf8"));
  return last === undefined ? undefined : last === 10;
}

/** Read, appended to, created if missing; never waiting on a FIFO. */
const JOURNAL_FLAGS =
  constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK;

/**
 * Opens the journal at `path`, one descriptor to read it and append to it,
 * checked to be a regular file: a FIFO (which would never end nor be
 * written), a device such as `/dev/zero` (endless) or a directory in its
 * place is refused instead of read.
 *
 * @throws {InvalidInputError} naming the path when it is not a regular file.
 */
async function openJournalFile(path: string): Promise<FileHandle> {
  const notRegular = () =>
    new InvalidInputError(`${path} is not a regular file: a scan journal must be one`);
  const handle = await open(path, JOURNAL_FLAGS, 0o666).catch((error: NodeJS.ErrnoException) => {
    throw error.code === "EISDIR" ? notRegular() : error;
  });
  if (!(await handle.stat()).isFile()) {
    await handle.close();
    throw notRegular();
  }
  return handle;
}

/**
 * An append-only journal (JSON Lines) of a `scanFiles` run, so that an
 * interrupted run resumes without uploading again any file the gateway
 * already accepted. It is keyed by content: each line records the SHA-256 of
 * the file, and on resume the file is hashed again; only when the hash is the
 * same is its recorded `data_id` polled instead of uploading, and the result
 * must then be for that content too (`file_info.sha256`). A file whose
 * content changed (even with the same size and modification time), or a line
 * without a hash, is scanned afresh.
 *
 * Before a file is uploaded a `pending` line records its hash: a run killed
 * between the upload and the line with its `data_id` leaves that line, and
 * the next run looks the hash up (analyses in progress included) before
 * uploading, so content the gateway accepted is not sent again.
 *
 * A torn last line (a crash while writing) is ignored.
 *
 * @example
 * ```ts
 * await using journal = await ScanJournal.open("scan.journal");
 * for await (const item of scanFiles(cluster, walkFiles("./inbox"), { journal })) ...
 * ```
 */
export class ScanJournal implements AsyncDisposable {
  private constructor(
    private readonly handle: FileHandle,
    private readonly known: Map<string, Known>,
  ) {}

  /**
   * Opens (creating if needed) the journal at `path` and loads what it
   * recorded, line by line: memory holds one entry per file, not the
   * journal's text, and a line longer than 64 KiB (no line mdkit writes is)
   * is skipped unread.
   */
  static async open(path: string): Promise<ScanJournal> {
    const known = new Map<string, Known>();
    const handle = await openJournalFile(path);
    try {
      const endsWithNewline = await readLines(handle, (line) => {
        const entry = line.trim() ? parseLine(line) : undefined;
        if (entry) known.set(entry.key, knownOf(entry));
      });
      // End a torn last line, so that the next entry starts on a line of its own.
      if (endsWithNewline === false) await handle.appendFile("\n");
    } catch (error) {
      await handle.close();
      throw error;
    }
    return new ScanJournal(handle, known);
  }

  /**
   * Where to pick this file up: its SHA-256 now and, when an earlier run
   * recorded a submission of this same content, that `data_id`; otherwise
   * `maybeSubmitted` says whether an earlier run started uploading this same
   * content without recording its `data_id`. `undefined` for a source
   * without a key (e.g. standard input) or a hash.
   */
  async resume(source: FileSource): Promise<ResumePoint | undefined> {
    const key = source.key;
    if (!key || !source.sha256) return undefined;
    const sha256 = (await source.sha256(nodeSha256)).toLowerCase();
    const entry = this.known.get(key);
    if (entry?.sha256 !== sha256) return { sha256 };
    if (entry.dataId) return { dataId: entry.dataId, sha256 };
    return { sha256, maybeSubmitted: entry.pending === true };
  }

  /**
   * Records, before the first byte is sent, that this content is being
   * uploaded (hashed now when `sha256` is not given): a run killed before
   * learning its `data_id` leaves this `pending` line behind.
   */
  async uploading(source: FileSource, sha256?: string): Promise<void> {
    const key = source.key;
    if (!key) return;
    const hash =
      sha256?.toLowerCase() ??
      (source.sha256 ? (await source.sha256(nodeSha256)).toLowerCase() : undefined);
    this.known.set(key, { sha256: hash, dataId: undefined, pending: true });
    await this.append({ t: "pending", key, ...statOf(source), sha256: hash });
  }

  /** Whether this exact content finished in an earlier run (the file is hashed again). */
  async finishedBefore(source: FileSource): Promise<boolean> {
    const entry = source.key ? this.known.get(source.key) : undefined;
    if (!entry?.verdict || !entry.sha256 || !source.sha256) return false;
    return (await source.sha256(nodeSha256)).toLowerCase() === entry.sha256;
  }

  /** Records an accepted upload, with the content's SHA-256. */
  async submitted(source: FileSource, dataId: string): Promise<void> {
    const key = source.key;
    if (!key) return;
    const sha256 = source.sha256
      ? (await source.sha256(nodeSha256)).toLowerCase()
      : this.known.get(key)?.sha256;
    this.known.set(key, { sha256, dataId });
    await this.append({ t: "submitted", key, ...statOf(source), sha256, dataId });
  }

  /**
   * Records a finished file, with the SHA-256 its result is about (the
   * content's, checked against the result's `file_info.sha256`). A result
   * without one is recorded without a hash: it will not be trusted again.
   */
  async finished(item: ScanFilesItem): Promise<void> {
    if (!item.ok || !item.source?.key) return;
    const key = item.source.key;
    const { dataId, verdict, sha256 } = item.result;
    this.known.set(key, { sha256, dataId, verdict });
    await this.append({ t: "finished", key, ...statOf(item.source), sha256, dataId, verdict });
  }

  /** Closes the file. */
  async close(): Promise<void> {
    await this.handle.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private async append(entry: Entry) {
    await this.handle.appendFile(`${JSON.stringify(entry)}\n`);
  }
}

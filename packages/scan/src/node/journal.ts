import { type FileHandle, open, readFile } from "node:fs/promises";
import type { FileSource } from "../input.js";
import type { ScanFilesItem } from "../scan-files.js";

/** One line of the journal (JSON Lines). */
type Entry =
  | { t: "submitted"; key: string; size: number; mtimeMs?: number; dataId: string }
  | { t: "finished"; key: string; size: number; mtimeMs?: number; dataId: string; verdict: string };

interface Known {
  size: number;
  mtimeMs: number | undefined;
  dataId: string;
  verdict?: string;
}

const identity = (source: FileSource) => ({
  key: source.key,
  size: source.size,
  mtimeMs: (source as { mtimeMs?: number }).mtimeMs,
});

/**
 * An append-only journal (JSON Lines) of a `scanFiles` run, so that an
 * interrupted run resumes without uploading again any file the gateway
 * already accepted: a file with the same path, size and modification time is
 * polled by its recorded `data_id` instead. A torn last line (a crash while
 * writing) is ignored.
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

  /** Opens (creating if needed) the journal at `path` and loads what it recorded. */
  static async open(path: string): Promise<ScanJournal> {
    const known = new Map<string, Known>();
    const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return "";
      throw error;
    });
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      let entry: Entry;
      try {
        entry = JSON.parse(line) as Entry;
      } catch {
        continue;
      }
      known.set(entry.key, {
        size: entry.size,
        mtimeMs: entry.mtimeMs,
        dataId: entry.dataId,
        ...(entry.t === "finished" ? { verdict: entry.verdict } : {}),
      });
    }
    const handle = await open(path, "a");
    // End a torn last line, so that the next entry starts on a line of its own.
    if (text && !text.endsWith("\n")) await handle.appendFile("\n");
    return new ScanJournal(handle, known);
  }

  /** The recorded submission of this exact file (same key, size and mtime), if any. */
  resume(source: FileSource): string | undefined {
    const { key, size, mtimeMs } = identity(source);
    if (!key) return undefined;
    const entry = this.known.get(key);
    if (!entry || entry.size !== size || entry.mtimeMs !== mtimeMs) return undefined;
    return entry.dataId;
  }

  /** Whether this exact file finished in an earlier run. */
  finishedBefore(source: FileSource): boolean {
    const { key } = identity(source);
    return !!key && this.resume(source) !== undefined && this.known.get(key)?.verdict !== undefined;
  }

  /** Records an accepted upload. */
  async submitted(source: FileSource, dataId: string): Promise<void> {
    const { key, size, mtimeMs } = identity(source);
    if (!key) return;
    this.known.set(key, { size, mtimeMs, dataId });
    await this.append({
      t: "submitted",
      key,
      size,
      ...(mtimeMs !== undefined ? { mtimeMs } : {}),
      dataId,
    });
  }

  /** Records a finished file. */
  async finished(item: ScanFilesItem): Promise<void> {
    if (!item.ok || !item.source) return;
    const { key, size, mtimeMs } = identity(item.source);
    if (!key) return;
    const { dataId, verdict } = item.result;
    this.known.set(key, { size, mtimeMs, dataId, verdict });
    await this.append({
      t: "finished",
      key,
      size,
      ...(mtimeMs !== undefined ? { mtimeMs } : {}),
      dataId,
      verdict,
    });
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

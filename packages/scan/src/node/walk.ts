import type { Dirent } from "node:fs";
import { lstat, opendir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import picomatch from "picomatch";
import { SkippedEntryError, type SkipReason } from "../errors.js";

/** An entry of a walked directory that is not scanned, and why. */
export interface SkippedEntry {
  /** Absolute path of the entry (as joined from the root). */
  path: string;
  /** What it is: a symbolic link (never followed), a FIFO, a socket, a device, or unreadable. */
  reason: SkipReason;
  /** The error, for an entry that could not be read. */
  error?: unknown;
}

/** Options of {@link walkFiles}. */
export interface WalkOptions {
  /** Globs (relative to the root, `/`-separated) a file must match. Default: every file. */
  include?: string[];
  /** Globs of files or directories to skip. */
  exclude?: string[];
  /** Include dot-files and dot-directories. Default false. */
  dot?: boolean;
  /**
   * Called for every entry that is not scanned although the filters select it:
   * symbolic links, FIFOs, sockets, devices, and directories that cannot be read.
   * Default: none (`walkEntries` yields them instead; `scanDirectory` fails them).
   */
  onSkipped?: ((entry: SkippedEntry) => void) | undefined;
}

/** One item of {@link walkEntries}: a regular file to scan, or an entry that is not scanned. */
export type WalkEntry = { kind: "file"; path: string } | ({ kind: "skipped" } & SkippedEntry);

function reasonOf(entry: Dirent): SkipReason {
  if (entry.isSymbolicLink()) return "symlink";
  if (entry.isFIFO()) return "fifo";
  if (entry.isSocket()) return "socket";
  if (entry.isBlockDevice() || entry.isCharacterDevice()) return "device";
  return "other";
}

const DESCRIPTIONS: Readonly<Record<SkipReason, string>> = {
  symlink: "a symbolic link (links are not followed)",
  fifo: "a FIFO (named pipe)",
  socket: "a socket",
  device: "a device",
  unreadable: "unreadable",
  other: "not a regular file",
};

/**
 * The error `scanDirectory` (and the CLI) report for a skipped entry; `hint` says what the user can do.
 *
 * @example
 * ```ts
 * const error = skippedEntryError({ path: "/data/link", reason: "symlink" }, "pass --allow-skipped");
 * error.message;
 * // "[@mdkit/scan] /data/link was not scanned: it is a symbolic link (links are not followed); pass --allow-skipped"
 * ```
 */
export function skippedEntryError(entry: SkippedEntry, hint?: string): SkippedEntryError {
  const detail =
    entry.reason === "unreadable" && entry.error instanceof Error
      ? ` (${(entry.error as NodeJS.ErrnoException).code ?? entry.error.message})`
      : "";
  return new SkippedEntryError(
    `${entry.path} was not scanned: it is ${DESCRIPTIONS[entry.reason]}${detail}${hint ? `; ${hint}` : ""}`,
    entry.path,
    entry.reason,
    { cause: entry.error },
  );
}

/**
 * Every entry under `root` the filters select, depth first: regular files to
 * scan, and the entries that are not scanned (symbolic links, which are never
 * followed so that a link cannot lead the walk out of `root`, FIFOs, sockets,
 * devices, directories that cannot be read), so that nothing is dropped
 * silently. Include globs apply to files; a skipped entry is reported when it
 * is not excluded (and, for a non-directory, when it matches the includes).
 *
 * @example
 * ```ts
 * for await (const entry of walkEntries("./inbox")) {
 *   if (entry.kind === "skipped") console.warn(entry.path, entry.reason);
 * }
 * ```
 */
export async function* walkEntries(
  root: string,
  options: Omit<WalkOptions, "onSkipped"> = {},
): AsyncGenerator<WalkEntry> {
  const include = options.include?.length
    ? picomatch(options.include, { dot: options.dot ?? false })
    : undefined;
  const exclude = options.exclude?.length ? picomatch(options.exclude, { dot: true }) : undefined;
  const rel = (path: string) => relative(root, path).split(sep).join("/");
  const info = await lstat(root);
  if (info.isFile()) {
    yield { kind: "file", path: root };
    return;
  }
  const stack = [root];
  while (stack.length) {
    const dir = stack.pop() as string;
    const entries: WalkEntry[] = [];
    const subdirs: string[] = [];
    try {
      for await (const entry of await opendir(dir)) {
        if (!options.dot && entry.name.startsWith(".")) continue;
        const path = join(dir, entry.name);
        const relPath = rel(path);
        if (exclude && (exclude(relPath) || exclude(`${relPath}/`))) continue;
        if (entry.isDirectory()) subdirs.push(path);
        else if (include && !include(relPath)) continue;
        else if (entry.isFile()) entries.push({ kind: "file", path });
        else entries.push({ kind: "skipped", path, reason: reasonOf(entry) });
      }
    } catch (error) {
      if (dir === root) throw error;
      yield { kind: "skipped", path: dir, reason: "unreadable", error };
      continue;
    }
    entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    yield* entries;
    stack.push(...subdirs.sort().reverse());
  }
}

/**
 * Every regular file under `root`, depth first, as absolute paths, filtered
 * by include/exclude globs (picomatch syntax, e.g. `**\/*.pdf`). Symbolic
 * links are not followed, so a link cannot lead the walk out of `root`.
 * Entries that are not scanned (links, FIFOs, sockets, devices, unreadable
 * directories) go to `onSkipped`; use {@link walkEntries} to get them in
 * order with the files.
 *
 * @example
 * ```ts
 * const skipped: SkippedEntry[] = [];
 * for await (const path of walkFiles("./inbox", { include: ["**\/*.{pdf,docx}"], onSkipped: (e) => skipped.push(e) })) ...
 * ```
 */
export async function* walkFiles(root: string, options: WalkOptions = {}): AsyncGenerator<string> {
  const { onSkipped, ...filters } = options;
  for await (const entry of walkEntries(root, filters)) {
    if (entry.kind === "file") yield entry.path;
    else onSkipped?.(entry);
  }
}

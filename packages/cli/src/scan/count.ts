import { lstat, stat } from "node:fs/promises";
import { walkEntries } from "@mdkit/scan/node";
import { gitignoreGlobs } from "./globs.js";

/** What a run will scan, counted ahead of it for the progress line. */
export interface RunSize {
  /** Files (and entries that will be reported, when skipped entries are not allowed). */
  files: number;
  /** Their bytes. */
  bytes: number;
}

/** Options of {@link countInputs}. */
export interface CountOptions {
  include: string[];
  exclude: string[];
  /** Entries that are not scanned are left out of the run instead of being reported as rows. */
  allowSkipped: boolean;
  /** The size of standard input, once spooled. */
  stdinBytes: number | undefined;
  /** Stops counting. */
  signal: AbortSignal;
}

/**
 * Counts the files and bytes a run will scan by walking its paths the way
 * the run does (same patterns), reading only directory entries and sizes.
 * Runs beside the scan, for the progress line's total, percentage and ETA.
 */
export async function countInputs(
  paths: readonly string[],
  options: CountOptions,
): Promise<RunSize> {
  const include = gitignoreGlobs(options.include);
  const exclude = gitignoreGlobs(options.exclude);
  const size = { files: 0, bytes: 0 };
  for (const path of paths) {
    if (options.signal.aborted) break;
    if (path === "-") {
      size.files++;
      size.bytes += options.stdinBytes ?? 0;
      continue;
    }
    const info = await stat(path).catch(() => undefined);
    if (!info?.isDirectory()) {
      size.files++;
      size.bytes += info?.size ?? 0;
      continue;
    }
    const walk = walkEntries(path, {
      ...(include.length ? { include } : {}),
      ...(exclude.length ? { exclude } : {}),
    });
    for await (const entry of walk) {
      if (options.signal.aborted) break;
      if (entry.kind === "skipped") {
        if (!options.allowSkipped) size.files++;
        continue;
      }
      size.files++;
      size.bytes += (await lstat(entry.path).catch(() => undefined))?.size ?? 0;
    }
  }
  return size;
}

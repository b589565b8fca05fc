import { stat } from "node:fs/promises";
import { skippedEntryError, walkFiles } from "@mdkit/scan/node";
import { CliError } from "../errors.js";

/** Options of {@link collectFiles}. */
export interface CollectOptions {
  /** Leave out the entries of directories that are not scanned (each is reported) instead of refusing. */
  allowSkipped: boolean;
  /** Where a left-out entry is reported (stderr). */
  report: (message: string) => void;
}

/**
 * The files named on a command line, directories expanded recursively (for
 * commands that need the whole list up front, such as a batch). An entry of
 * a directory that is not scanned (symbolic link, FIFO, socket, device,
 * unreadable folder) refuses the whole list unless `allowSkipped`: a batch
 * that silently left part of a folder out would pass for the folder.
 *
 * @throws {CliError} for a path that does not exist, or skipped entries.
 */
export async function collectFiles(
  paths: readonly string[],
  options: CollectOptions,
): Promise<string[]> {
  const files: string[] = [];
  const skipped: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new CliError(`${path}: no such file or directory`);
    if (info.isDirectory()) {
      const onSkipped = (entry: Parameters<typeof skippedEntryError>[0]) => {
        const { message } = skippedEntryError(entry);
        if (options.allowSkipped) options.report(message);
        else skipped.push(message.replace(/^\[@mdkit\/scan\] /, ""));
      };
      for await (const file of walkFiles(path, { onSkipped })) files.push(file);
    } else {
      files.push(path);
    }
  }
  if (skipped.length > 0) {
    throw new CliError(
      `${skipped.join("; ")} (pass --allow-skipped to leave such entries out of the batch)`,
    );
  }
  return files;
}

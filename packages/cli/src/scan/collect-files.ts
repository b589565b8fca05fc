import { stat } from "node:fs/promises";
import { walkFiles } from "@mdkit/scan/node";
import { CliError } from "../errors.js";

/**
 * The files named on a command line, directories expanded recursively (for
 * commands that need the whole list up front, such as a batch).
 *
 * @throws {CliError} for a path that does not exist.
 */
export async function collectFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new CliError(`${path}: no such file or directory`);
    if (info.isDirectory()) {
      for await (const file of walkFiles(path)) files.push(file);
    } else {
      files.push(path);
    }
  }
  return files;
}

import { stat } from "node:fs/promises";
import type { QueueInput } from "@mdkit/queue";
import { walkFiles } from "@mdkit/scan/node";
import { CliError } from "../errors.js";

/**
 * The inputs of `mdkit queue add`: `http(s)://` URLs as given, files as
 * given, directories walked recursively (symbolic links not followed).
 * Paths are made absolute by the queue: workers must see them at the same place.
 *
 * @throws {CliError} for a path that does not exist.
 */
export async function* queueInputs(paths: readonly string[]): AsyncGenerator<QueueInput> {
  for (const path of paths) {
    if (/^https?:\/\//i.test(path)) {
      yield { url: path };
      continue;
    }
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new CliError(`${path}: no such file or directory`);
    if (info.isDirectory()) yield* walkFiles(path);
    else yield path;
  }
}

import { stat } from "node:fs/promises";
import type { NodeScanInput, PathSource, SkippedEntry } from "@mdkit/scan/node";
import { fromStream, skippedEntryError, unreadableInput, walkEntries } from "@mdkit/scan/node";
import { CliError } from "../errors.js";
import type { CliIo } from "../io.js";

/** How the paths of `mdkit scan` are expanded. */
export interface ExpandOptions {
  /** Globs a file found in a directory must match (explicit files are always scanned). */
  include: string[];
  /** Globs of files or directories to skip inside directories. */
  exclude: string[];
  /** Standard input, for the path `-`. */
  stdin: CliIo["stdin"];
  /**
   * Where an entry of a directory that is not scanned goes (symbolic link,
   * FIFO, socket, device, unreadable directory). Without it, each becomes an
   * input that fails: a row with an error, and exit code 2.
   */
  onSkipped?: ((entry: SkippedEntry) => void) | undefined;
}

/** Why a skipped entry failed, with the way to opt out. */
const OPT_OUT_HINT = "pass --allow-skipped to scan the rest without failing the run";

/** The scan inputs of a command line, and how each is shown. */
export interface ExpandedInputs extends AsyncDisposable {
  /** Files in command-line order; directories expanded lazily as the scan consumes them. */
  inputs: AsyncGenerator<NodeScanInput>;
  /** The path as the user would recognise it, for the input at `index`. */
  displayOf(index: number): string;
  /** How many inputs were handed out so far. */
  readonly count: number;
}

/**
 * Expands the command line's paths: a file is scanned as given, a directory
 * recursively (filtered by the globs, symbolic links not followed; every
 * entry that is not scanned is a failing input unless `onSkipped` takes it), and `-`
 * is standard input, spooled to a private temporary file first because the
 * gateway needs the exact size before the upload. A path that does not
 * exist is passed on as given, so that the scan reports it as that file's
 * failure instead of ending the run.
 *
 * @throws {CliError} when `-` is given twice, or without a standard input.
 */
export async function expandInputs(
  paths: readonly string[],
  options: ExpandOptions,
): Promise<ExpandedInputs> {
  const dashes = paths.filter((p) => p === "-").length;
  if (dashes > 1) throw new CliError("`-` (standard input) can be given only once");
  if (dashes === 1 && !options.stdin)
    throw new CliError("`-` given, but there is no standard input");
  let spooled: (PathSource & { dispose(): Promise<void> }) | undefined;
  if (dashes === 1 && options.stdin) spooled = await fromStream(options.stdin, { name: "stdin" });

  const displays: string[] = [];
  async function* generate(): AsyncGenerator<NodeScanInput> {
    for (const path of paths) {
      if (path === "-" && spooled) {
        displays.push("-");
        yield spooled;
        continue;
      }
      const info = await stat(path).catch(() => undefined);
      if (info?.isDirectory()) {
        const walk = walkEntries(path, {
          ...(options.include.length ? { include: options.include } : {}),
          ...(options.exclude.length ? { exclude: options.exclude } : {}),
        });
        for await (const entry of walk) {
          if (entry.kind === "skipped" && options.onSkipped) {
            options.onSkipped(entry);
            continue;
          }
          displays.push(entry.path);
          if (entry.kind === "file") yield entry.path;
          else yield unreadableInput(skippedEntryError(entry, OPT_OUT_HINT));
        }
      } else {
        displays.push(path);
        yield path;
      }
    }
  }
  return {
    inputs: generate(),
    displayOf: (index) => displays[index] ?? `input ${index}`,
    get count() {
      return displays.length;
    },
    [Symbol.asyncDispose]: async () => {
      await spooled?.dispose();
    },
  };
}

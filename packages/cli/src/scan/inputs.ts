import { stat } from "node:fs/promises";
import type { NodeScanInput, PathSource, SkippedEntry } from "@mdkit/scan/node";
import { fromStream, skippedEntryError, unreadableInput, walkEntries } from "@mdkit/scan/node";
import { CliError } from "../errors.js";
import type { CliIo } from "../io.js";
import { gitignoreGlobs } from "./globs.js";

/** How the paths of `mdkit scan` are expanded. */
export interface ExpandOptions {
  /** Patterns a file found in a directory must match (`.gitignore` meaning; explicit files are always scanned). */
  include: string[];
  /** Patterns of files or directories to skip inside directories (`.gitignore` meaning). */
  exclude: string[];
  /** Standard input, for the path `-`. */
  stdin: CliIo["stdin"];
  /** The name standard input is scanned under (`--name`). Default "stdin". */
  stdinName?: string | undefined;
  /** Stops reading standard input (SIGINT): the expansion then fails as interrupted. */
  signal?: AbortSignal | undefined;
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
  /**
   * Files in command-line order; directories expanded lazily as the scan
   * consumes them. Leaving a loop over it early does not end it: what was
   * not handed out can still be read (to report it as not scanned).
   */
  inputs: AsyncIterable<NodeScanInput>;
  /** The inputs not handed out yet (after a run stopped early), as display paths. */
  rest(): AsyncGenerator<string>;
  /** The path as the user would recognise it, for the input at `index`. */
  displayOf(index: number): string;
  /** The name a file is scanned under, for the input at `index`, when it differs from the path's. */
  nameOf(index: number): string | undefined;
  /** How many inputs were handed out so far. */
  readonly count: number;
  /** The size of standard input, once spooled (`undefined` without `-`). */
  readonly stdinBytes: number | undefined;
}

/** Reads standard input into a private temporary file, unless `signal` stops it first. */
async function spool(
  stdin: NonNullable<CliIo["stdin"]>,
  name: string,
  signal: AbortSignal | undefined,
): Promise<PathSource & { dispose(): Promise<void> }> {
  try {
    return await fromStream(stdin, { name, signal });
  } catch (error) {
    if (signal?.aborted)
      throw new CliError("interrupted while reading standard input: nothing was scanned");
    throw error;
  }
}

/**
 * Expands the command line's paths: a file is scanned as given, a directory
 * recursively (filtered by the patterns, symbolic links not followed; every
 * entry that is not scanned is a failing input unless `onSkipped` takes it), and `-`
 * is standard input, spooled to a private temporary file first because the
 * gateway needs the exact size before the upload. A path that does not
 * exist is passed on as given, so that the scan reports it as that file's
 * failure instead of ending the run.
 *
 * @throws {CliError} when `-` is given twice, without a standard input, or
 *   when reading it was interrupted.
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
  if (dashes === 1 && options.stdin) {
    spooled = await spool(options.stdin, options.stdinName ?? "stdin", options.signal);
  }
  const include = gitignoreGlobs(options.include);
  const exclude = gitignoreGlobs(options.exclude);

  const displays: string[] = [];
  const names = new Map<number, string>();
  async function* generate(): AsyncGenerator<NodeScanInput> {
    for (const path of paths) {
      if (path === "-" && spooled) {
        names.set(displays.length, spooled.name ?? "stdin");
        displays.push("-");
        yield spooled;
        continue;
      }
      const info = await stat(path).catch(() => undefined);
      if (info?.isDirectory()) {
        const walk = walkEntries(path, {
          ...(include.length ? { include } : {}),
          ...(exclude.length ? { exclude } : {}),
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
  const iterator = generate();
  return {
    // No `return`: a consumer that stops early leaves the rest readable.
    inputs: { [Symbol.asyncIterator]: () => ({ next: () => iterator.next() }) },
    async *rest() {
      for (;;) {
        const before = displays.length;
        const next = await iterator.next();
        if (next.done) return;
        yield displays[before] ?? String(next.value);
      }
    },
    displayOf: (index) => displays[index] ?? `input ${index}`,
    nameOf: (index) => names.get(index),
    get count() {
      return displays.length;
    },
    stdinBytes: spooled?.size,
    [Symbol.asyncDispose]: async () => {
      await iterator.return(undefined);
      await spooled?.dispose();
    },
  };
}

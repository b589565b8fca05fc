import { mkdir, stat } from "node:fs/promises";
import { dirname, sep } from "node:path";
import { downloadSanitized, InvalidInputError } from "@mdkit/scan/node";
import type { Command } from "commander";
import { connectCluster } from "../connect.js";
import { type Context, globalsOf } from "../context.js";
import { CliError } from "../errors.js";
import { EXIT } from "../exit-codes.js";

const EXAMPLES = `
Examples:
  $ mdkit download 0b6e3f18c2a94d5e8f7a1b2c3d4e5f60 ./clean/
  $ mdkit download 0b6e3f18c2a94d5e8f7a1b2c3d4e5f60 report.pdf --overwrite

The file is streamed to a temporary file beside the destination and renamed into place once
complete; into a directory, it takes the name the gateway suggests (reduced to a plain file
name). Prints the written path. Exit code 2 when there is nothing to download or it failed.
`;

interface DownloadCommandOptions {
  overwrite?: boolean;
  processed?: boolean;
}

/**
 * Checks that the folder a file is to be written into exists, before
 * anything is downloaded (a missing one would fail on an internal temporary name).
 *
 * @throws {CliError} naming the folder and how to get it.
 */
async function checkParent(destination: string): Promise<void> {
  const parent = dirname(destination);
  const info = await stat(parent).catch(() => undefined);
  if (!info) {
    throw new CliError(
      `the folder ${parent} does not exist: create it first (mkdir -p ${parent}), or end the destination with / to have it created`,
    );
  }
  if (!info.isDirectory())
    throw new CliError(`${parent} is not a folder: choose another destination`);
}

/** `mdkit download <data_id> <destination>`: downloads the sanitized version of a scanned file. */
export function registerDownload(program: Command, ctx: Context): void {
  program
    .command("download")
    .description("download the sanitized version of a scanned file")
    .argument("<data_id>", "the data_id of the scan")
    .argument("<destination>", "a file path, or an existing directory (or one ending with /)")
    .option("--overwrite", "replace an existing file")
    .option(
      "--processed",
      "download the processed file (sanitized or redacted) instead of the converted one",
    )
    .addHelpText("after", EXAMPLES)
    .action(
      ctx.action(
        async (
          dataId: string,
          destination: string,
          options: DownloadCommandOptions,
          cmd: Command,
        ) => {
          const intoDirectory = destination.endsWith("/") || destination.endsWith(sep);
          if (!intoDirectory) await checkParent(destination);
          await using cluster = connectCluster(ctx, { url: globalsOf(cmd).url });
          if (intoDirectory) await mkdir(destination, { recursive: true });
          const written = await downloadSanitized(cluster.client, dataId, destination, {
            overwrite: options.overwrite === true,
            ...(options.processed ? { kind: "processed" as const } : {}),
            signal: ctx.signal,
          }).catch((error: unknown) => {
            // The library speaks of its option; the command line has a flag for it.
            if (error instanceof InvalidInputError && / exists; /.test(error.message)) {
              throw new CliError(error.message.replace(/allow overwriting/, "pass --overwrite"));
            }
            throw error;
          });
          await ctx.out(`${written.path}\n`);
          if (ctx.io.stderr.isTTY) ctx.err(`${written.bytes} bytes written\n`);
          return EXIT.ok;
        },
      ),
    );
}

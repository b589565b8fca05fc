import { lookupHash } from "@mdkit/scan/node";
import type { Command } from "commander";
import { connectCluster } from "../connect.js";
import { type Context, globalsOf } from "../context.js";
import { CliError } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { type FailOn, failOnOption, formatOption, matchesFailOn } from "../options.js";
import { fieldsOption, type OutputFlags, recordWriterFor } from "../output-options.js";

const HASH = /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$/i;
const COLUMNS = ["hash", "status", "verdict", "threats", "data_id"];

const EXAMPLES = `
Examples:
  $ mdkit hash 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f
  $ sha256sum *.pdf | cut -d' ' -f1 | xargs mdkit hash --format jsonl

Each hash gives one row: hash, status (found, in-progress, not-found), verdict ("not found"
when the gateway never saw it), threats, data_id. Nothing is uploaded.
Exit codes: 0 no found verdict matched --fail-on, 1 one did, 2 a request failed.
`;

interface HashOptions extends OutputFlags {
  rule?: string;
  failOn: FailOn;
}

/** `mdkit hash <hash...>`: looks hashes up on the gateway without uploading anything. */
export function registerHash(program: Command, ctx: Context): void {
  program
    .command("hash")
    .description("look files up by MD5, SHA-1, SHA-256 or SHA-512 without uploading them")
    .argument("<hashes...>", "hashes to look up (hex)")
    .option("--rule <name>", "only results produced by this rule count")
    .addOption(formatOption())
    .addOption(fieldsOption())
    .addOption(failOnOption())
    .addHelpText("after", EXAMPLES)
    .action(
      ctx.action(async (hashes: string[], options: HashOptions, cmd: Command) => {
        const invalid = hashes.find((h) => !HASH.test(h));
        if (invalid !== undefined) {
          throw new CliError(`not a hash: "${invalid}" (expected 32, 40, 64 or 128 hex digits)`);
        }
        const writer = recordWriterFor(ctx, options, COLUMNS);
        await using cluster = connectCluster(ctx, { url: globalsOf(cmd).url, rule: options.rule });
        let matched = false;
        for (const hash of hashes) {
          const found = await lookupHash(cluster.client, hash, {
            ...(options.rule ? { rule: options.rule } : {}),
            signal: ctx.signal,
          });
          if (found.status === "found") {
            matched ||= matchesFailOn(found.result.verdict, options.failOn);
            await writer.write({
              hash: hash.toLowerCase(),
              status: "found",
              verdict: found.result.verdict,
              threats: found.result.threats,
              data_id: found.result.dataId,
            });
          } else {
            await writer.write({
              hash: hash.toLowerCase(),
              status: found.status,
              verdict: found.status === "not-found" ? "not found" : "in progress",
              threats: [],
              data_id: found.status === "in-progress" ? found.dataId : null,
            });
          }
        }
        await writer.end();
        return matched ? EXIT.verdict : EXIT.ok;
      }),
    );
}

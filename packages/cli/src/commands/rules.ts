import { type ClusterClient, unwrap } from "@mdkit/cluster";
import type { Command } from "commander";
import { connectCluster } from "../connect.js";
import { type Context, globalsOf } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { formatOption } from "../options.js";
import { fieldsOption, type OutputFlags, recordWriterFor } from "../output-options.js";

const EXAMPLES = `
Examples:
  $ mdkit rules
  $ mdkit rules --format json | jq -r '.[].name'

One row per rule: name, max_file_size (bytes; larger files are refused before any upload).
`;

/** The options of `mdkit rules` (and `mdkit core ... rules`). */
export type RulesOptions = OutputFlags;

/** Lists a gateway's (or a Core's) rules with their size limits. */
export async function runRules(
  ctx: Context,
  client: ClusterClient,
  options: RulesOptions,
): Promise<number> {
  const writer = recordWriterFor(ctx, options, ["name", "max_file_size"]);
  const rules = await unwrap(client.GET("/file/rules", { signal: ctx.signal }));
  for (const rule of rules) {
    await writer.write({ name: rule.name ?? null, max_file_size: rule.max_file_size ?? null });
  }
  await writer.end();
  return EXIT.ok;
}

/** `mdkit rules`: the gateway's rules and their file size limits. */
export function registerRules(program: Command, ctx: Context): void {
  program
    .command("rules")
    .description("list the gateway's rules and their file size limits")
    .addOption(formatOption())
    .addOption(fieldsOption())
    .addHelpText("after", EXAMPLES)
    .action(
      ctx.action(async (options: RulesOptions, cmd: Command) => {
        await using cluster = connectCluster(ctx, { url: globalsOf(cmd).url });
        return await runRules(ctx, cluster.client, options);
      }),
    );
}

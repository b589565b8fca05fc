import type { Command } from "commander";
import { coreInstances } from "../cm/pages.js";
import { connectCentralManagement } from "../connect.js";
import type { Context } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { formatOption } from "../options.js";
import { fieldsOption, type OutputFlags, recordWriterFor } from "../output-options.js";

const EXAMPLES = `
Examples:
  $ mdkit cm instances
  $ mdkit cm instances --format csv > instances.csv

The deployment_id column is what "mdkit core --deployment" takes.
`;

/** `mdkit cm instances`: the MetaDefender Core instances Central Management manages. */
export function registerCmInstances(cm: Command, ctx: Context): void {
  cm.command("instances")
    .description("list the MetaDefender Core instances Central Management manages")
    .addOption(formatOption())
    .addOption(fieldsOption())
    .addHelpText("after", EXAMPLES)
    .action(
      ctx.action(async (options: OutputFlags) => {
        await using connected = connectCentralManagement(ctx);
        const writer = recordWriterFor(ctx, options);
        for await (const instance of coreInstances(connected.client, ctx.signal)) {
          await writer.write(instance);
        }
        await writer.end();
        return EXIT.ok;
      }),
    );
}

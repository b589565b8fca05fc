import { unwrap } from "@mdkit/central-management";
import type { Command } from "commander";
import { connectCentralManagement } from "../connect.js";
import type { Context } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { formatOption } from "../options.js";
import { fieldsOption, type OutputFlags, recordWriterFor } from "../output-options.js";

const EXAMPLES = `
Examples:
  $ mdkit cm kiosks
  $ mdkit cm kiosks --format json | jq '.[] | select(.healthStatus != "operational")'
`;

/** `mdkit cm kiosks`: the account's MetaDefender Kiosk devices. */
export function registerCmKiosks(cm: Command, ctx: Context): void {
  cm.command("kiosks")
    .description("list the account's MetaDefender Kiosk devices")
    .addOption(formatOption())
    .addOption(fieldsOption())
    .addHelpText("after", EXAMPLES)
    .action(
      ctx.action(async (options: OutputFlags) => {
        await using connected = connectCentralManagement(ctx);
        const list = await unwrap(
          connected.client.GET("/o/pmp/v1/kiosk/devices", { signal: ctx.signal }),
        );
        const writer = recordWriterFor(ctx, options);
        for (const device of list.items ?? [])
          await writer.write(device as Record<string, unknown>);
        await writer.end();
        return EXIT.ok;
      }),
    );
}

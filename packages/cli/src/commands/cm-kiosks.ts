import { unwrap } from "@mdkit/central-management";
import type { Command } from "commander";
import { connectCentralManagement } from "../config.js";
import type { Context } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { formatOption } from "../options.js";
import { createRecordWriter, defaultFormat, type Format } from "../output/index.js";

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
    .addHelpText("after", EXAMPLES)
    .action(
      ctx.action(async (options: { format?: Format }) => {
        await using connected = connectCentralManagement(ctx.io.env);
        const list = await unwrap(
          connected.client.GET("/o/pmp/v1/kiosk/devices", { signal: ctx.signal }),
        );
        const writer = createRecordWriter(options.format ?? defaultFormat(ctx.io.stdout), ctx.out);
        for (const device of list.items ?? [])
          await writer.write(device as Record<string, unknown>);
        await writer.end();
        return EXIT.ok;
      }),
    );
}

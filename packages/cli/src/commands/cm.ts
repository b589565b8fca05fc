import type { Command } from "commander";
import type { Context } from "../context.js";
import { registerCmInstances } from "./cm-instances.js";
import { registerCmKiosks } from "./cm-kiosks.js";
import { registerCmReports } from "./cm-reports.js";

const HELP = `
Credentials: MDKIT_CM_CLIENT_ID and MDKIT_CM_CLIENT_SECRET; MDKIT_CM_REGION (us, the default,
or eu) or MDKIT_CM_URL (another host, e.g. the simulator).
`;

/** `mdkit cm ...`: My OPSWAT Central Management reports and inventory. */
export function registerCm(program: Command, ctx: Context): void {
  const cm = program
    .command("cm")
    .description("My OPSWAT Central Management: reports, Kiosk devices, Core instances")
    .addHelpText("after", HELP);
  registerCmReports(cm, ctx);
  registerCmKiosks(cm, ctx);
  registerCmInstances(cm, ctx);
}

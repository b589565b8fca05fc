import { type ClusterClient, createClusterClient } from "@mdkit/cluster";
import { openDirectConnection } from "@mdkit/direct-connection";
import { type Command, Option } from "commander";
import { CORE_APIKEY_VARIABLE, connectCentralManagement, coreApiKey } from "../connect.js";
import type { Context } from "../context.js";
import { formatOption, integerParser } from "../options.js";
import { fieldsOption } from "../output-options.js";
import { runScan, type ScanCommandOptions } from "../scan/run-scan.js";
import { type RulesOptions, runRules } from "./rules.js";
import { addScanOptions } from "./scan.js";

const EXAMPLES = `
Examples:
  $ mdkit core --deployment MDCORE-7F3A9C21B4E5 rules
  $ mdkit core --deployment MDCORE-7F3A9C21B4E5 scan ./invoice.pdf --format json

Opens a Central Management direct connection to the instance (no inbound traffic to it),
waits until it is connected, runs the command through it and closes it. Needs the Central
Management settings (MDKIT_CM_CLIENT_ID, MDKIT_CM_CLIENT_SECRET, MDKIT_CM_REGION or
MDKIT_CM_URL) and MDKIT_CORE_APIKEY, the API key of the Core itself. "mdkit cm instances"
lists the deployment ids.
`;

interface CoreOptions {
  deployment: string;
  product: "mdcore" | "mdicap";
  connectTimeout: number;
}

/** Runs `work` with a client of the product, through a direct connection closed afterwards. */
async function throughConnection(
  ctx: Context,
  command: Command,
  work: (client: ClusterClient) => Promise<number>,
): Promise<number> {
  const options = (command.parent as Command).opts<CoreOptions>();
  const apikey = coreApiKey(ctx);
  await using cm = connectCentralManagement(ctx);
  const scanOptions = command.opts<{ rule?: string }>();
  // From here on, failures are about the Core (or the connection to it): messages name its settings.
  ctx.target = {
    service: "core",
    url: ctx.target?.url,
    urlSetting: ctx.target?.urlSetting ?? "MDKIT_CM_URL",
    credentials: "apikey",
    credentialSettings: ctx.settingName(CORE_APIKEY_VARIABLE),
    deployment: options.deployment,
    rule: scanOptions.rule,
  };
  await using connection = await openDirectConnection(cm.client, {
    productType: options.product,
    deploymentId: options.deployment,
    purpose: "mdkit command line",
    timeoutMs: options.connectTimeout,
    signal: ctx.signal,
  });
  const client = createClusterClient({
    baseUrl: connection.baseUrl,
    fetch: connection.fetch,
    auth: () => ({ apikey }),
  });
  // Awaited here: the connection must stay open until the work is done.
  return await work(client);
}

/** `mdkit core --deployment <id> scan|rules`: a Core reached through a direct connection. */
export function registerCore(program: Command, ctx: Context): void {
  const core = program
    .command("core")
    .description(
      "scan with, or list the rules of, an on-premise MetaDefender Core through a direct connection",
    )
    .requiredOption("--deployment <id>", "deployment id of the instance (see mdkit cm instances)")
    .addOption(
      new Option("--product <type>", "product type of the instance")
        .choices(["mdcore", "mdicap"])
        .default("mdcore"),
    )
    .option(
      "--connect-timeout <ms>",
      "how long to wait for the connection, in ms",
      integerParser(1),
      60_000,
    )
    .addHelpText("after", EXAMPLES);

  const scan = core
    .command("scan")
    .description("scan files, directories and standard input with the instance")
    .addHelpText(
      "after",
      "\nExamples:\n  $ mdkit core --deployment MDCORE-7F3A9C21B4E5 scan ./inbox --fail-on infected\n\nEvery option of mdkit scan applies; MDKIT_CORE_APIKEY is the Core's own API key.\n",
    );
  addScanOptions(scan).action(
    ctx.action((paths: string[], options: ScanCommandOptions, cmd: Command) =>
      throughConnection(ctx, cmd, (client) => runScan(ctx, client, paths, options)),
    ),
  );

  core
    .command("rules")
    .description("list the instance's rules and their file size limits")
    .addHelpText(
      "after",
      "\nExamples:\n  $ mdkit core --deployment MDCORE-7F3A9C21B4E5 rules --format json\n",
    )
    .addOption(formatOption())
    .addOption(fieldsOption())
    .action(
      ctx.action((options: RulesOptions, cmd: Command) =>
        throughConnection(ctx, cmd, (client) => runRules(ctx, client, options)),
      ),
    );
}

import type { Command } from "commander";
import type { Context } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { integerParser } from "../options.js";

const EXAMPLES = `
Examples:
  $ mdkit simulator
  $ mdkit simulator --port 0 --json        # a free port; one JSON line with URLs and credentials
  $ mdkit simulator --port 8899 --cm-port 8900 --seed 7 --capacity 16 --scan-ms 40

Runs until interrupted (Ctrl-C, SIGTERM). It accepts the printed credentials, which are the
simulator's own, not secrets: EICAR is infected, everything else clean.
`;

interface SimulatorCommandOptions {
  port: number;
  cmPort?: number;
  host: string;
  seed: number;
  capacity: number;
  scanMs: number;
  json?: boolean;
}

/** Resolves when `signal` aborts; never without a signal. */
export const untilAborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });

/** `mdkit simulator`: runs the simulator of both APIs over HTTP until interrupted. */
export function registerSimulator(program: Command, ctx: Context): void {
  program
    .command("simulator")
    .description("run the simulated Cluster gateway and Central Management over HTTP")
    .option(
      "--port <n>",
      "port of the gateway (and of both APIs without --cm-port); 0 = free",
      integerParser(0),
      8899,
    )
    .option("--cm-port <n>", "serve Central Management on its own port", integerParser(0))
    .option("--host <addr>", "interface to bind", "127.0.0.1")
    .option("--seed <n>", "seed of ids, report data and faults", integerParser(0), 1)
    .option(
      "--capacity <n>",
      "files in progress before uploads are refused as busy",
      integerParser(1),
      64,
    )
    .option("--scan-ms <n>", "simulated processing time per file, in ms", integerParser(0), 200)
    .option("--json", "print one JSON line with the URLs and credentials")
    .addHelpText("after", EXAMPLES)
    .action(
      ctx.action(async (options: SimulatorCommandOptions) => {
        // Loaded on demand: the other commands start without the simulator's dependencies.
        const { createSimulator, DEFAULT_CREDENTIALS } = await import("@mdkit/simulator");
        const { user, password } = DEFAULT_CREDENTIALS.cluster;
        const { clientId, clientSecret } = DEFAULT_CREDENTIALS.cm;
        await using sim = createSimulator({
          seed: options.seed,
          cluster: { capacity: options.capacity, scanDurationMs: options.scanMs },
        });
        const separate = options.cmPort !== undefined;
        const host = options.host;
        const cluster = await sim.listen({
          host,
          port: options.port,
          api: separate ? "cluster" : "all",
        });
        const cm = separate ? await sim.listen({ host, port: options.cmPort, api: "cm" }) : cluster;
        if (options.json) {
          const info = {
            cluster: { url: cluster.url, user, password },
            cm: { url: cm.url, clientId, clientSecret },
          };
          await ctx.out(`${JSON.stringify(info)}\n`);
        } else {
          await ctx.out(
            [
              "mdkit simulator running (Ctrl-C to stop)",
              `  Cluster gateway      ${cluster.url}   user ${user} / password ${password}`,
              `  Central Management   ${cm.url}   client id ${clientId} / secret ${clientSecret}`,
              "",
              `  export MDKIT_CLUSTER_URL=${cluster.url}`,
              `  export MDKIT_CLUSTER_USER=${user} MDKIT_CLUSTER_PASSWORD=${password}`,
              `  export MDKIT_CM_URL=${cm.url} MDKIT_CM_CLIENT_ID=${clientId} MDKIT_CM_CLIENT_SECRET=${clientSecret}`,
              "",
            ].join("\n"),
          );
        }
        await untilAborted(ctx.signal);
        return EXIT.ok;
      }),
    );
}

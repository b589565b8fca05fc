import { type Command, Option } from "commander";
import type { Context } from "../context.js";
import { CliError } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { integerParser } from "../options.js";

const EXAMPLES = `
Examples:
  $ mdkit simulator
  $ mdkit simulator --port 0 --json        # a free port; one JSON line with everything below
  $ mdkit simulator --port 8899 --cm-port 8900 --seed 7 --capacity 16 --scan-ms 40
  $ mdkit simulator --auth-failures 401 --anonymous

Runs until interrupted (Ctrl-C, SIGTERM) and prints what a client needs: the URLs, the
gateway user and password, the Central Management client, the API key of the simulated Core
behind direct connections (for mdkit core), the deployment ids, and the fingerprints of the
certificate that signs batch results (for mdkit batch --expect-fingerprint), with export
lines. These are the simulator's own credentials, not secrets: EICAR is infected, everything
else clean. Needs the @mdkit/simulator package (npm install -g @mdkit/simulator).
`;

/** The API key the simulated Core accepts by default, printed for `mdkit core`. */
export const DEFAULT_CORE_APIKEY = "mdkit-demo-core-apikey";

/** The instances enrolled in the simulated Central Management (what `mdkit core --deployment` takes). */
const DEPLOYMENTS = ["MDCORE-SIM-0001", "MDICAP-SIM-0001"] as const;

interface SimulatorCommandOptions {
  port: number;
  cmPort?: number;
  host: string;
  seed: number;
  capacity: number;
  scanMs: number;
  user: string;
  password: string;
  clientId: string;
  clientSecret: string;
  coreApikey: string;
  authFailures: "documented" | "401";
  anonymous?: boolean;
  json?: boolean;
}

/** Resolves when `signal` aborts; never without a signal. */
export const untilAborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });

/**
 * Loads `@mdkit/simulator`, an optional peer of the CLI: most users never
 * run it, and it brings an HTTP server framework and X.509 code.
 *
 * @throws {CliError} saying how to install it, when it is missing.
 */
async function loadSimulator(): Promise<typeof import("@mdkit/simulator")> {
  try {
    return await import("@mdkit/simulator");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") throw error;
    throw new CliError(
      "mdkit simulator needs the @mdkit/simulator package, which is not installed: run npm install -g @mdkit/simulator (or npm install @mdkit/simulator where @mdkit/cli is installed), then mdkit simulator again",
    );
  }
}

/** What the simulator prints: everything a client needs to reach it. */
interface SimulatorInfo {
  cluster: { url: string; user: string; password: string };
  cm: { url: string; clientId: string; clientSecret: string };
  core: { apikey: string; deployments: string[] };
  batchSigner: { sha1: string; sha256: string };
}

function text(info: SimulatorInfo): string {
  const { cluster, cm, core, batchSigner } = info;
  return [
    "mdkit simulator running (Ctrl-C to stop)",
    `  Cluster gateway      ${cluster.url}   user ${cluster.user} / password ${cluster.password}`,
    `  Central Management   ${cm.url}   client id ${cm.clientId} / secret ${cm.clientSecret}`,
    `  Core (direct conn.)  deployments ${core.deployments.join(", ")}   API key ${core.apikey}`,
    `  Batch signer         SHA-256 ${batchSigner.sha256}`,
    "",
    `  export MDKIT_CLUSTER_URL=${cluster.url}`,
    `  export MDKIT_CLUSTER_USER=${cluster.user} MDKIT_CLUSTER_PASSWORD=${cluster.password}`,
    `  export MDKIT_CM_URL=${cm.url} MDKIT_CM_CLIENT_ID=${cm.clientId} MDKIT_CM_CLIENT_SECRET=${cm.clientSecret}`,
    `  export MDKIT_CORE_APIKEY=${core.apikey}`,
    `  export MDKIT_BATCH_CERT_FINGERPRINT=${batchSigner.sha256}`,
    "",
  ].join("\n");
}

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
    .option("--user <name>", "gateway user", "admin")
    .option("--password <password>", "gateway password", "admin")
    .option("--client-id <id>", "Central Management OAuth client id", "mdkit-demo")
    .option(
      "--client-secret <secret>",
      "Central Management OAuth client secret",
      "mdkit-demo-secret",
    )
    .option(
      "--core-apikey <key>",
      "API key the simulated Core behind direct connections accepts (also a gateway API key)",
      DEFAULT_CORE_APIKEY,
    )
    .addOption(
      new Option(
        "--auth-failures <mode>",
        "how a missing or invalid apikey is refused: documented (per operation, as the gateway document writes it) or 401",
      )
        .choices(["documented", "401"])
        .default("documented"),
    )
    .option(
      "--anonymous",
      "serve gateway requests that carry no apikey (as MetaDefender Core does by default)",
    )
    .option("--json", "print one JSON line with the URLs, credentials, Core key and signer")
    .addHelpText("after", EXAMPLES)
    .action(
      ctx.action(async (options: SimulatorCommandOptions) => {
        const { createSimulator } = await loadSimulator();
        await using sim = createSimulator({
          seed: options.seed,
          cluster: {
            users: { [options.user]: options.password },
            apiKeys: [options.coreApikey],
            capacity: options.capacity,
            scanDurationMs: options.scanMs,
            authFailures: options.authFailures,
            anonymous: options.anonymous === true,
          },
          cm: {
            clients: { [options.clientId]: options.clientSecret },
            deployments: [...DEPLOYMENTS],
          },
        });
        const separate = options.cmPort !== undefined;
        const host = options.host;
        const cluster = await sim.listen({
          host,
          port: options.port,
          api: separate ? "cluster" : "all",
        });
        const cm = separate ? await sim.listen({ host, port: options.cmPort, api: "cm" }) : cluster;
        const info: SimulatorInfo = {
          cluster: { url: cluster.url, user: options.user, password: options.password },
          cm: { url: cm.url, clientId: options.clientId, clientSecret: options.clientSecret },
          core: { apikey: options.coreApikey, deployments: [...DEPLOYMENTS] },
          batchSigner: await sim.cluster.signingFingerprints(),
        };
        await ctx.out(options.json ? `${JSON.stringify(info)}\n` : text(info));
        await untilAborted(ctx.signal);
        return EXIT.ok;
      }),
    );
}

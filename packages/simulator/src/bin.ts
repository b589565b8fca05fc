#!/usr/bin/env node
/**
 * `mdkit-simulator`: runs the simulator over HTTP on loopback until
 * interrupted, printing the URLs it listens on and the credentials it accepts.
 */
import { parseArgs } from "node:util";
import { createSimulator } from "./simulator.js";

const HELP = `Usage: mdkit-simulator [options]

Runs the simulated Cluster gateway and Central Management over HTTP.

Options:
  --port <n>            port of the Cluster gateway (and of both APIs without --cm-port); 0 = free. Default 8899
  --cm-port <n>         serve Central Management on its own port
  --host <addr>         interface to bind. Default 127.0.0.1
  --seed <n>            seed of ids, report data and faults. Default 1
  --capacity <n>        files in progress before POST /file answers 503. Default 64
  --scan-ms <n>         simulated processing time per file, ms. Default 200
  --scan-ms-per-mib <n> extra processing time per MiB, ms. Default 0
  --user <name>         gateway user. Default admin
  --password <pw>       gateway password. Default admin
  --auth-failures <m>   how a missing/invalid/expired apikey is refused: documented (per
                        operation, as the gateway document writes it) or 401. Default documented
  --anonymous           serve gateway requests that carry no apikey (as MetaDefender Core does
                        by default)
  --client-id <id>      Central Management OAuth client id. Default mdkit-demo
  --client-secret <s>   Central Management OAuth client secret. Default mdkit-demo-secret
  --json                print one JSON line with the URLs and credentials instead of text
  -h, --help            show this help
`;

function integer(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`mdkit-simulator: --${name} must be a non-negative integer, got "${value}"`);
    process.exit(2);
  }
  return n;
}

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      "cm-port": { type: "string" },
      host: { type: "string" },
      seed: { type: "string" },
      capacity: { type: "string" },
      "scan-ms": { type: "string" },
      "scan-ms-per-mib": { type: "string" },
      user: { type: "string" },
      password: { type: "string" },
      "auth-failures": { type: "string" },
      anonymous: { type: "boolean" },
      "client-id": { type: "string" },
      "client-secret": { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const authFailures = values["auth-failures"] ?? "documented";
  if (authFailures !== "documented" && authFailures !== "401") {
    console.error(
      `mdkit-simulator: --auth-failures must be "documented" or "401", got "${authFailures}"`,
    );
    process.exit(2);
  }
  const user = values.user ?? "admin";
  const password = values.password ?? "admin";
  const clientId = values["client-id"] ?? "mdkit-demo";
  const clientSecret = values["client-secret"] ?? "mdkit-demo-secret";
  const sim = createSimulator({
    seed: integer("seed", values.seed, 1),
    cluster: {
      users: { [user]: password },
      capacity: integer("capacity", values.capacity, 64),
      scanDurationMs: integer("scan-ms", values["scan-ms"], 200),
      scanMsPerMiB: integer("scan-ms-per-mib", values["scan-ms-per-mib"], 0),
      authFailures,
      anonymous: values.anonymous ?? false,
    },
    cm: { clients: { [clientId]: clientSecret } },
  });
  const host = values.host ?? "127.0.0.1";
  const port = integer("port", values.port, 8899);
  const separate = values["cm-port"] !== undefined;
  const cluster = await sim.listen({ host, port, api: separate ? "cluster" : "all" });
  const cm = separate
    ? await sim.listen({ host, port: integer("cm-port", values["cm-port"], 0), api: "cm" })
    : cluster;
  const info = {
    cluster: { url: cluster.url, user, password },
    cm: { url: cm.url, clientId, clientSecret },
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(info)}\n`);
  } else {
    process.stdout.write(
      [
        "mdkit simulator running (Ctrl-C to stop)",
        `  Cluster gateway      ${cluster.url}   user ${user} / password ${password}`,
        `  Central Management   ${cm.url}   client id ${clientId} / secret ${clientSecret}`,
        "",
      ].join("\n"),
    );
  }
  const stop = async () => {
    await sim.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

/**
 * A secret read from a file ends with a newline. The header goes out
 * trimmed, so a scrubber looking for the untrimmed value would miss the
 * gateway echoing it back. mdkit trims environment secrets before use and
 * registers them trimmed.
 */
import { clusterAuthFromEnv } from "@mdkit/auth";
import { AuthenticationError, createClusterClient, unwrap } from "@mdkit/cluster";
import {
  builtCliAvailable,
  CANARIES,
  type HostileServer,
  hostileCase,
  runBuiltCli,
  sendJson,
  startHostileServer,
} from "@mdkit/testing/hostile";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../in-process-cli.js";

const { apikey } = CANARIES;
const FROM_FILE = `${apikey}\n`;

const servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A gateway refusing every key, quoting the one it got raw, JSON-escaped, in base64 and in a header. */
async function echoingGateway(): Promise<HostileServer> {
  const server = await startHostileServer((request, response) => {
    const key = String(request.headers.apikey ?? "");
    sendJson(
      response,
      401,
      { err: `invalid apikey ${JSON.stringify(key)} (${Buffer.from(key).toString("base64")})` },
      { "x-rejected-key": key },
    );
  });
  servers.push(server);
  return server;
}

const env = (url: string) => ({ MDKIT_CLUSTER_URL: `${url}\n`, MDKIT_CLUSTER_APIKEY: FROM_FILE });

describe("an environment secret with a trailing newline", () => {
  it("library: sent trimmed, and the gateway's echo of it is redacted", async () => {
    await hostileCase("env apikey with newline (library)", { deadlineMs: 5_000 }, async (probe) => {
      const gateway = await echoingGateway();
      const { baseUrl, auth } = clusterAuthFromEnv(env(gateway.url));
      const cluster = createClusterClient({ baseUrl, auth });
      const error = await unwrap(cluster.GET("/file/rules")).catch((e: unknown) => e);
      probe.error("rules", error);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(gateway.requests[0]?.headers.apikey).toBe(apikey);
    });
  });

  it("CLI in-process: stderr and --debug scrubbed of the trimmed value", async () => {
    await hostileCase("env apikey with newline (CLI)", { deadlineMs: 5_000 }, async (probe) => {
      const gateway = await echoingGateway();
      const run = await runCli(["rules", "--debug"], env(gateway.url));
      probe.output("stdout", run.stdout);
      probe.output("stderr", run.stderr);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/401/);
      expect(run.stderr).toContain("[REDACTED]");
      expect(gateway.requests[0]?.headers.apikey).toBe(apikey);
    });
  });

  it.skipIf(!builtCliAvailable("leak-env"))("built CLI: the same", async () => {
    await hostileCase(
      "env apikey with newline (built CLI)",
      { deadlineMs: 10_000 },
      async (probe) => {
        const gateway = await echoingGateway();
        const run = await runBuiltCli(["rules", "--debug"], env(gateway.url));
        probe.output("stdout", run.stdout);
        probe.output("stderr", run.stderr);
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/401/);
        expect(gateway.requests[0]?.headers.apikey).toBe(apikey);
      },
    );
  });
});

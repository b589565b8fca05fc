/**
 * A secret read from a file ends with a newline. The header goes out
 * trimmed, so a scrubber looking for the untrimmed value would miss the
 * gateway echoing it back. mdkit trims environment secrets before use and
 * registers them trimmed.
 */
import { clusterAuthFromEnv } from "@mdkit/auth";
import { AuthenticationError, createClusterClient, unwrap } from "@mdkit/cluster";
import { CANARIES, hostileCase, sendJson, startHostileServer } from "@mdkit/testing/hostile";
import { describe, expect, it } from "vitest";
import { CLI_RUNNERS, runAndReport } from "../cli-runners.js";
import { closedAfterEach } from "../server-pool.js";

const { apikey } = CANARIES;
const track = closedAfterEach();

/** A gateway refusing every key, quoting the one it got raw, JSON-escaped, in base64 and in a header. */
const echoingGateway = async () =>
  track(
    await startHostileServer((request, response) => {
      const key = String(request.headers.apikey ?? "");
      const quoted = `${JSON.stringify(key)} (${Buffer.from(key).toString("base64")})`;
      sendJson(response, 401, { err: `invalid apikey ${quoted}` }, { "x-rejected-key": key });
    }),
  );

/** The environment as a file-fed shell would set it: every value with its newline. */
const env = (url: string) => ({
  MDKIT_CLUSTER_URL: `${url}\n`,
  MDKIT_CLUSTER_APIKEY: `${apikey}\n`,
});

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

  it.each(CLI_RUNNERS)("$name: stderr and --debug scrubbed of the trimmed value", async (cli) => {
    await hostileCase(
      `env apikey with newline (${cli.name})`,
      { deadlineMs: cli.deadlineMs },
      async (probe) => {
        const gateway = await echoingGateway();
        const run = await runAndReport(cli, probe, ["rules", "--debug"], env(gateway.url));
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/invalid apikey "\[REDACTED\]"/);
        expect(gateway.requests[0]?.headers.apikey).toBe(apikey);
      },
    );
  });
});

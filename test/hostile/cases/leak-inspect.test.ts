/**
 * `util.format("%o", err)` is `util.inspect` with hidden properties: it used
 * to show the raw `Response` an HTTP error kept, with every header the
 * gateway chose to send (a cookie holding the apikey, an echo of it). The
 * raw response now lives behind a getter, and every inspection is redacted.
 */
import { format, inspect } from "node:util";
import { createClusterClient, PermissionDeniedError, unwrap } from "@mdkit/cluster";
import { CANARIES, hostileCase, sendJson, startHostileServer } from "@mdkit/testing/hostile";
import { describe, expect, it } from "vitest";
import { CLI_RUNNERS, runAndReport } from "../cli-runners.js";
import { closedAfterEach } from "../server-pool.js";

const { apikey } = CANARIES;
const track = closedAfterEach();

/** A gateway refusing every request, with the key it got in a cookie and echo headers. */
const headerEchoingGateway = async () =>
  track(
    await startHostileServer((request, response) => {
      const key = String(request.headers.apikey ?? "");
      sendJson(
        response,
        403,
        { err: "forbidden" },
        {
          "set-cookie": `gw_session=${key}; HttpOnly`,
          "x-echo-apikey": key,
          "x-echo-apikey-base64": Buffer.from(key).toString("base64"),
        },
      );
    }),
  );

describe("an HTTP error printed with %o (hidden properties shown)", () => {
  it("library: %o, %O, inspect with showHidden and getters, JSON: no header value the gateway echoed", async () => {
    await hostileCase(
      "%o of an error with echoing headers (library)",
      { deadlineMs: 5_000 },
      async (probe) => {
        const gateway = await headerEchoingGateway();
        const cluster = createClusterClient({ baseUrl: gateway.url, auth: () => ({ apikey }) });
        const error = await unwrap(cluster.GET("/file/rules")).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PermissionDeniedError);
        probe.error("rules", error);
        probe.output("format %o", format("%o", error));
        probe.output("format %O", format("%O", error));
        probe.output(
          "inspect getters",
          inspect(error, { showHidden: true, getters: true, depth: 10 }),
        );
        probe.output("console.log-like", format(error));
        // The raw response is still there for code that asks for it.
        expect((error as PermissionDeniedError).response?.headers.get("x-echo-apikey")).toBe(
          apikey,
        );
        expect(format("%o", error)).toContain("x-echo-apikey");
      },
    );
  });

  it.each(CLI_RUNNERS)("$name: --debug prints the error's JSON without them", async (cli) => {
    await hostileCase(
      `%o of an error with echoing headers (${cli.name})`,
      { deadlineMs: cli.deadlineMs },
      async (probe) => {
        const gateway = await headerEchoingGateway();
        const run = await runAndReport(cli, probe, ["rules", "--debug"], {
          MDKIT_CLUSTER_URL: gateway.url,
          MDKIT_CLUSTER_APIKEY: apikey,
        });
        expect(run.code).toBe(2);
        expect(run.stderr).toContain("x-echo-apikey");
      },
    );
  });
});

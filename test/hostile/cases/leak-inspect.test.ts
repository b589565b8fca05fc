/**
 * `util.format("%o", err)` is `util.inspect` with hidden properties: it used
 * to show the raw `Response` an HTTP error kept, with every header the
 * gateway chose to send (a cookie holding the apikey, an echo of it). The
 * raw response now lives behind a getter, and every inspection is redacted.
 */
import { format, inspect } from "node:util";
import { createClusterClient, PermissionDeniedError, unwrap } from "@mdkit/cluster";
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

const { apikey } = CANARIES;

const servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A gateway refusing every request, with the key it got in a cookie and an echo header. */
async function headerEchoingGateway(): Promise<HostileServer> {
  const server = await startHostileServer((request, response) => {
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
  });
  servers.push(server);
  return server;
}

describe("an HTTP error printed with %o (hidden properties shown)", () => {
  it("library: %o, inspect with showHidden and getters, JSON: no header the gateway echoed", async () => {
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

  it.skipIf(!builtCliAvailable("leak-inspect"))(
    "built CLI: --debug prints the error's JSON without them",
    async () => {
      await hostileCase(
        "%o of an error with echoing headers (built CLI)",
        { deadlineMs: 10_000 },
        async (probe) => {
          const gateway = await headerEchoingGateway();
          const run = await runBuiltCli(["rules", "--debug"], {
            MDKIT_CLUSTER_URL: gateway.url,
            MDKIT_CLUSTER_APIKEY: apikey,
          });
          probe.output("stdout", run.stdout);
          probe.output("stderr", run.stderr);
          expect(run.code).toBe(2);
          expect(run.stderr).toContain("x-echo-apikey");
        },
      );
    },
  );
});

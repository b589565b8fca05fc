/**
 * A direct connection whose far end (or Central Management itself) echoes
 * every header of the tunnelled request, the outer bearer token included,
 * into the product's answer. The inner Core error is built by a client that
 * never saw that token; it is redacted because `@mdkit/auth` registered the
 * token the moment it arrived.
 */
import { clientCredentials } from "@mdkit/auth";
import { createCentralManagementClient } from "@mdkit/central-management";
import { createClusterClient, PermissionDeniedError, unwrap } from "@mdkit/cluster";
import { openDirectConnection } from "@mdkit/direct-connection";
import {
  CANARIES,
  type HostileServer,
  hostileCase,
  sendJson,
  startHostileCentralManagement,
} from "@mdkit/testing/hostile";
import { describe, expect, it } from "vitest";
import { CLI_RUNNERS, runAndReport } from "../cli-runners.js";
import { closedAfterEach } from "../server-pool.js";

const { accessToken, apikey, clientSecret } = CANARIES;
const CLIENT_ID = "hostile-client";
const DEPLOYMENT = "MDCORE-HOSTILE";
const track = closedAfterEach();

/** Central Management handing out the canary token; the product behind it quotes every header it got. */
const echoingTunnel = async () =>
  track(
    await startHostileCentralManagement({
      accessToken,
      async tunnel(request, response, context) {
        await context.body();
        const bearer = String(request.headers.authorization ?? "");
        const seen = Buffer.from(`outer:${bearer}`).toString("base64");
        const echo = {
          err: `access denied; request headers were ${JSON.stringify(request.headers)}`,
        };
        sendJson(response, 403, echo, { "x-seen-auth": seen });
      },
    }),
  );

/** The tunnelled request carried the outer token and the Core key: the echo had them to echo. */
function expectCredentialsTunnelled(cm: HostileServer) {
  const tunnelled = cm.requests.find((r) => r.headers["x-app-method"]);
  expect(tunnelled?.headers.authorization).toBe(`Bearer ${accessToken}`);
  expect(tunnelled?.headers["x-app-header-apikey"]).toBe(apikey);
}

describe("the Central Management bearer token echoed through a tunnel", () => {
  it("library: the inner Core error shows neither the outer token nor the Core key", async () => {
    await hostileCase(
      "tunnel echoes the outer bearer token (library)",
      { deadlineMs: 5_000 },
      async (probe) => {
        const server = await echoingTunnel();
        const auth = clientCredentials({ baseUrl: server.url, clientId: CLIENT_ID, clientSecret });
        const cm = createCentralManagementClient({ baseUrl: server.url, auth });
        await using connection = await openDirectConnection(cm, {
          productType: "mdcore",
          deploymentId: DEPLOYMENT,
        });
        const core = createClusterClient({
          baseUrl: connection.baseUrl,
          fetch: connection.fetch,
          auth: () => ({ apikey }),
        });
        const error = await unwrap(core.GET("/file/rules")).catch((e: unknown) => e);
        probe.error("core", error);
        expect(error).toBeInstanceOf(PermissionDeniedError);
        expect((error as Error).message).toContain("access denied; request headers were");
        expectCredentialsTunnelled(server);
      },
    );
  });

  it.each(CLI_RUNNERS)(
    "$name: mdkit core ... rules reports the refusal without either secret",
    async (cli) => {
      await hostileCase(
        `tunnel echoes the outer bearer token (${cli.name})`,
        { deadlineMs: cli.deadlineMs },
        async (probe) => {
          const server = await echoingTunnel();
          const run = await runAndReport(
            cli,
            probe,
            ["core", "--deployment", DEPLOYMENT, "rules", "--debug"],
            {
              MDKIT_CM_URL: server.url,
              MDKIT_CM_CLIENT_ID: CLIENT_ID,
              MDKIT_CM_CLIENT_SECRET: clientSecret,
              MDKIT_CORE_APIKEY: apikey,
            },
          );
          expect(run.code).toBe(2);
          expect(run.stderr).toContain("access denied; request headers were");
          expectCredentialsTunnelled(server);
        },
      );
    },
  );
});

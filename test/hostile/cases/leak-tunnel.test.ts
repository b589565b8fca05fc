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
  builtCliAvailable,
  CANARIES,
  type HostileServer,
  hostileCase,
  runBuiltCli,
  sendJson,
  startHostileCentralManagement,
} from "@mdkit/testing/hostile";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../in-process-cli.js";

const { accessToken, apikey, clientSecret } = CANARIES;

const servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Central Management handing out the canary token; the product behind it quotes every header it got. */
async function echoingTunnel(): Promise<HostileServer> {
  const server = await startHostileCentralManagement({
    accessToken,
    async tunnel(request, response, context) {
      await context.body();
      const headers = JSON.stringify(request.headers);
      const bearer = String(request.headers.authorization ?? "");
      sendJson(
        response,
        403,
        { err: `access denied; request headers were ${headers}` },
        { "x-seen-auth": Buffer.from(`outer:${bearer}`).toString("base64") },
      );
    },
  });
  servers.push(server);
  return server;
}

const cliEnv = (url: string) => ({
  MDKIT_CM_URL: url,
  MDKIT_CM_CLIENT_ID: "hostile-client",
  MDKIT_CM_CLIENT_SECRET: clientSecret,
  MDKIT_CORE_APIKEY: apikey,
});

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
        const auth = clientCredentials({
          baseUrl: server.url,
          clientId: "hostile-client",
          clientSecret,
        });
        const cm = createCentralManagementClient({ baseUrl: server.url, auth });
        await using connection = await openDirectConnection(cm, {
          productType: "mdcore",
          deploymentId: "MDCORE-HOSTILE",
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

  it("CLI in-process: mdkit core ... rules reports the refusal without either secret", async () => {
    await hostileCase(
      "tunnel echoes the outer bearer token (CLI)",
      { deadlineMs: 5_000 },
      async (probe) => {
        const server = await echoingTunnel();
        const run = await runCli(
          ["core", "--deployment", "MDCORE-HOSTILE", "rules", "--debug"],
          cliEnv(server.url),
        );
        probe.output("stdout", run.stdout);
        probe.output("stderr", run.stderr);
        expect(run.code).toBe(2);
        expect(run.stderr).toContain("access denied; request headers were");
        expectCredentialsTunnelled(server);
      },
    );
  });

  it.skipIf(!builtCliAvailable("leak-tunnel"))("built CLI: the same", async () => {
    await hostileCase(
      "tunnel echoes the outer bearer token (built CLI)",
      { deadlineMs: 10_000 },
      async (probe) => {
        const server = await echoingTunnel();
        const run = await runBuiltCli(
          ["core", "--deployment", "MDCORE-HOSTILE", "rules", "--debug"],
          cliEnv(server.url),
        );
        probe.output("stdout", run.stdout);
        probe.output("stderr", run.stderr);
        expect(run.code).toBe(2);
        expect(run.stderr).toContain("access denied; request headers were");
        expectCredentialsTunnelled(server);
      },
    );
  });
});

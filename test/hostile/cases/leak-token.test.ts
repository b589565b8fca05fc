/**
 * A token endpoint that echoes its form-encoded request body: the client
 * secret comes back with `+` for its space and `~!'()*` percent-encoded (or
 * not), in an OAuth error description, a text body or a header.
 */
import { clientCredentials, InvalidCredentialsError } from "@mdkit/auth";
import { ServerError } from "@mdkit/central-management";
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

const { clientSecret } = CANARIES;

const servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** RFC 3986 percent-encoding (`!'()*` too), which some servers use instead of the form rules. */
const strict = (text: string) =>
  encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/** A token endpoint refusing with `status`, quoting the form body it received several ways. */
async function echoingTokenEndpoint(status: number, asText = false): Promise<HostileServer> {
  const server = await startHostileServer(async (_request, response, context) => {
    const body = (await context.body()).toString("utf8");
    const fields = Object.fromEntries(new URLSearchParams(body));
    if (asText) {
      response.writeHead(status, { "content-type": "text/plain" }).end(`bad token request ${body}`);
      return;
    }
    sendJson(
      response,
      status,
      {
        error: "invalid_client",
        error_description: `client authentication failed for ${body}`,
        received: fields,
        strict: strict(fields.client_secret ?? ""),
      },
      { "x-token-request": body },
    );
  });
  servers.push(server);
  return server;
}

const cliEnv = (url: string) => ({
  MDKIT_CM_URL: url,
  MDKIT_CM_CLIENT_ID: "hostile-client",
  MDKIT_CM_CLIENT_SECRET: clientSecret,
});

describe("the token endpoint echoing its request body", () => {
  it("library: a refused client's error shows no client secret in any rendering", async () => {
    await hostileCase(
      "token endpoint echoes form-encoded secret (library)",
      { deadlineMs: 5_000 },
      async (probe) => {
        const cm = await echoingTokenEndpoint(400);
        const auth = clientCredentials({
          baseUrl: cm.url,
          clientId: "hostile-client",
          clientSecret,
        });
        const error = await auth.getToken().catch((e: unknown) => e);
        probe.error("token", error);
        expect(error).toBeInstanceOf(InvalidCredentialsError);
        expect((error as InvalidCredentialsError).reason).toBe("invalid_client");
        expect((error as Error).message).toContain("client_secret=[REDACTED]");
        const sent = new URLSearchParams(cm.requests[0]?.body?.toString());
        expect(sent.get("client_secret")).toBe(clientSecret);
      },
    );
  });

  it("library: message, String, JSON.stringify, util.inspect and .stack of a 500 quoting the body as text", async () => {
    await hostileCase(
      "token endpoint echoes its body as text (library)",
      { deadlineMs: 5_000 },
      async (probe) => {
        const cm = await echoingTokenEndpoint(500, true);
        const auth = clientCredentials({
          baseUrl: cm.url,
          clientId: "hostile-client",
          clientSecret,
        });
        const error = await auth.getToken().catch((e: unknown) => e);
        probe.error("token", error);
        expect(error).toBeInstanceOf(ServerError);
        expect((error as Error).stack).toContain("bad token request client_id=hostile-client");
      },
    );
  });

  it("CLI in-process: the refused client is reported without its secret, --debug too", async () => {
    await hostileCase(
      "token endpoint echoes form-encoded secret (CLI)",
      { deadlineMs: 5_000 },
      async (probe) => {
        const cm = await echoingTokenEndpoint(401);
        const run = await runCli(["cm", "kiosks", "--debug"], cliEnv(cm.url));
        probe.output("stdout", run.stdout);
        probe.output("stderr", run.stderr);
        expect(run.code).toBe(2);
        expect(run.stderr).toContain("client authentication failed for");
      },
    );
  });

  it.skipIf(!builtCliAvailable("leak-token"))("built CLI: the same", async () => {
    await hostileCase(
      "token endpoint echoes form-encoded secret (built CLI)",
      { deadlineMs: 10_000 },
      async (probe) => {
        const cm = await echoingTokenEndpoint(401);
        const run = await runBuiltCli(["cm", "kiosks", "--debug"], cliEnv(cm.url));
        probe.output("stdout", run.stdout);
        probe.output("stderr", run.stderr);
        expect(run.code).toBe(2);
        expect(run.stderr).toContain("client authentication failed for");
      },
    );
  });
});

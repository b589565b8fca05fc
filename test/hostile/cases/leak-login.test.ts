/**
 * A gateway whose `/login` echoes its request body: the password comes back
 * JSON-escaped (`\"`, `\\`, `\u00e9`) inside an error message, a text body
 * or a header. Neither the library's errors (message, String, JSON,
 * inspect, stack) nor the CLI's output may show it.
 */
import { clusterSession, InvalidCredentialsError } from "@mdkit/auth";
import { ServerError } from "@mdkit/cluster";
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

const { password } = CANARIES;

const servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A gateway whose `/login` fails with `status`, quoting the body it received. */
async function echoingLogin(status: number, asText = false): Promise<HostileServer> {
  const server = await startHostileServer(async (_request, response, context) => {
    const body = (await context.body()).toString("utf8");
    const ascii = body.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
    if (asText) {
      response.writeHead(status, { "content-type": "text/plain" }).end(`login failed: ${body}`);
      return;
    }
    sendJson(
      response,
      status,
      { err: `login failed for ${body}`, request: JSON.parse(body), ascii },
      { "x-login-body": encodeURIComponent(body) },
    );
  });
  servers.push(server);
  return server;
}

const cliEnv = (url: string) => ({
  MDKIT_CLUSTER_URL: url,
  MDKIT_CLUSTER_USER: "admin",
  MDKIT_CLUSTER_PASSWORD: password,
});

describe("/login echoing its request body", () => {
  it("library: a refused login's error shows no password in any rendering", async () => {
    await hostileCase(
      "login echoes JSON-escaped password (library)",
      { deadlineMs: 5_000 },
      async (probe) => {
        const gateway = await echoingLogin(401);
        const session = clusterSession({ baseUrl: gateway.url, user: "admin", password });
        const error = await session.getSessionId().catch((e: unknown) => e);
        probe.error("login", error);
        expect(error).toBeInstanceOf(InvalidCredentialsError);
        // The echo reached the message, redacted: the case tests what it claims to.
        expect((error as Error).message).toContain(
          'login failed for {"user":"admin","password":"[REDACTED]"}',
        );
        expect(JSON.parse(gateway.requests[0]?.body?.toString() ?? "{}")).toEqual({
          user: "admin",
          password,
        });
      },
    );
  });

  it("library: message, String, JSON.stringify, util.inspect and .stack of a 500 quoting the body as text", async () => {
    await hostileCase(
      "login echoes its body as text (library)",
      { deadlineMs: 5_000 },
      async (probe) => {
        const gateway = await echoingLogin(500, true);
        const session = clusterSession({ baseUrl: gateway.url, user: "admin", password });
        const error = await session.getSessionId().catch((e: unknown) => e);
        probe.error("login", error);
        expect(error).toBeInstanceOf(ServerError);
        expect((error as Error).stack).toContain("login failed: {");
      },
    );
  });

  it("CLI in-process: the refused login is reported without the password, --debug too", async () => {
    await hostileCase(
      "login echoes JSON-escaped password (CLI)",
      { deadlineMs: 5_000 },
      async (probe) => {
        const gateway = await echoingLogin(403);
        const run = await runCli(["rules", "--debug"], cliEnv(gateway.url));
        probe.output("stdout", run.stdout);
        probe.output("stderr", run.stderr);
        expect(run.code).toBe(2);
        expect(run.stderr).toContain("login failed for");
      },
    );
  });

  it.skipIf(!builtCliAvailable("leak-login"))("built CLI: the same", async () => {
    await hostileCase(
      "login echoes JSON-escaped password (built CLI)",
      { deadlineMs: 10_000 },
      async (probe) => {
        const gateway = await echoingLogin(403);
        const run = await runBuiltCli(["rules", "--debug"], cliEnv(gateway.url));
        probe.output("stdout", run.stdout);
        probe.output("stderr", run.stderr);
        expect(run.code).toBe(2);
        expect(run.stderr).toContain("login failed for");
      },
    );
  });
});

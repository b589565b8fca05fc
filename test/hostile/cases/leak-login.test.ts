/**
 * A gateway whose `/login` echoes its request body: the password comes back
 * JSON-escaped (`\"`, `\\`, `\u00e9`) inside an error message, a text body
 * or a header. Neither the library's errors (message, String, JSON,
 * inspect, stack) nor the CLI's output may show it.
 */
import { clusterSession, InvalidCredentialsError } from "@mdkit/auth";
import { ServerError } from "@mdkit/cluster";
import { CANARIES, hostileCase, sendJson, startHostileServer } from "@mdkit/testing/hostile";
import { describe, expect, it } from "vitest";
import { CLI_RUNNERS, runAndReport } from "../cli-runners.js";
import { closedAfterEach } from "../server-pool.js";

const { password } = CANARIES;
const track = closedAfterEach();

/** A gateway whose `/login` fails with `status`, quoting the body it received (as JSON or as text). */
const echoingLogin = async (status: number, asText = false) =>
  track(
    await startHostileServer(async (_request, response, context) => {
      const body = (await context.body()).toString("utf8");
      if (asText) {
        response.writeHead(status, { "content-type": "text/plain" }).end(`login failed: ${body}`);
        return;
      }
      const ascii = body.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
      const echo = { err: `login failed for ${body}`, request: JSON.parse(body), ascii };
      sendJson(response, status, echo, { "x-login-body": encodeURIComponent(body) });
    }),
  );

/** Runs a login against `gateway` and returns its error. */
const failedLogin = (url: string) =>
  clusterSession({ baseUrl: url, user: "admin", password })
    .getSessionId()
    .catch((e: unknown) => e);

describe("/login echoing its request body", () => {
  it("library: a refused login's error shows no password in any rendering", async () => {
    await hostileCase(
      "login echoes JSON-escaped password (library)",
      { deadlineMs: 5_000 },
      async (probe) => {
        const gateway = await echoingLogin(401);
        const error = await failedLogin(gateway.url);
        probe.error("login", error);
        expect(error).toBeInstanceOf(InvalidCredentialsError);
        // The echo reached the message, redacted: the case tests what it claims to.
        expect((error as Error).message).toContain(
          'login failed for {"user":"admin","password":"[REDACTED]"}',
        );
        const sent = JSON.parse(gateway.requests[0]?.body?.toString() ?? "{}");
        expect(sent).toEqual({ user: "admin", password });
      },
    );
  });

  it("library: message, String, JSON.stringify, util.inspect and .stack of a 500 quoting the body as text", async () => {
    await hostileCase(
      "login echoes its body as text (library)",
      { deadlineMs: 5_000 },
      async (probe) => {
        const gateway = await echoingLogin(500, true);
        const error = await failedLogin(gateway.url);
        probe.error("login", error);
        expect(error).toBeInstanceOf(ServerError);
        expect((error as Error).stack).toContain("login failed: {");
      },
    );
  });

  it.each(CLI_RUNNERS)(
    "$name: the refused login is reported without the password, --debug too",
    async (cli) => {
      await hostileCase(
        `login echoes JSON-escaped password (${cli.name})`,
        { deadlineMs: cli.deadlineMs },
        async (probe) => {
          const gateway = await echoingLogin(403);
          const run = await runAndReport(cli, probe, ["rules", "--debug"], {
            MDKIT_CLUSTER_URL: gateway.url,
            MDKIT_CLUSTER_USER: "admin",
            MDKIT_CLUSTER_PASSWORD: password,
          });
          expect(run.code).toBe(2);
          expect(run.stderr).toContain("login failed for");
        },
      );
    },
  );
});

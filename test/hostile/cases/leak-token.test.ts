/**
 * A token endpoint that echoes its form-encoded request body: the client
 * secret comes back with `+` for its space and `~!'()*` percent-encoded (or
 * not), in an OAuth error description, a text body or a header.
 */
import { clientCredentials, InvalidCredentialsError } from "@mdkit/auth";
import { ServerError } from "@mdkit/central-management";
import { CANARIES, hostileCase, sendJson, startHostileServer } from "@mdkit/testing/hostile";
import { describe, expect, it } from "vitest";
import { CLI_RUNNERS, runAndReport } from "../cli-runners.js";
import { closedAfterEach } from "../server-pool.js";

const { clientSecret } = CANARIES;
const CLIENT_ID = "hostile-client";
const track = closedAfterEach();

/** RFC 3986 percent-encoding (`!'()*` too), which some servers use instead of the form rules. */
const strict = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);

/** A token endpoint refusing with `status`, quoting the form body it received several ways. */
const echoingTokenEndpoint = async (status: number, asText = false) =>
  track(
    await startHostileServer(async (_request, response, context) => {
      const body = (await context.body()).toString("utf8");
      if (asText) {
        response
          .writeHead(status, { "content-type": "text/plain" })
          .end(`bad token request ${body}`);
        return;
      }
      const received = Object.fromEntries(new URLSearchParams(body));
      const echo = {
        error: "invalid_client",
        error_description: `client authentication failed for ${body}`,
        received,
        strict: strict(received.client_secret ?? ""),
      };
      sendJson(response, status, echo, { "x-token-request": body });
    }),
  );

/** Asks `url` for a token and returns the error. */
const failedToken = (url: string) =>
  clientCredentials({ baseUrl: url, clientId: CLIENT_ID, clientSecret })
    .getToken()
    .catch((e: unknown) => e);

describe("the token endpoint echoing its request body", () => {
  it("library: a refused client's error shows no client secret in any rendering", async () => {
    await hostileCase(
      "token endpoint echoes form-encoded secret (library)",
      { deadlineMs: 5_000 },
      async (probe) => {
        const cm = await echoingTokenEndpoint(400);
        const error = await failedToken(cm.url);
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
        const error = await failedToken(cm.url);
        probe.error("token", error);
        expect(error).toBeInstanceOf(ServerError);
        expect((error as Error).stack).toContain(`bad token request client_id=${CLIENT_ID}`);
      },
    );
  });

  it.each(CLI_RUNNERS)(
    "$name: the refused client is reported without its secret, --debug too",
    async (cli) => {
      await hostileCase(
        `token endpoint echoes form-encoded secret (${cli.name})`,
        { deadlineMs: cli.deadlineMs },
        async (probe) => {
          const cm = await echoingTokenEndpoint(401);
          const run = await runAndReport(cli, probe, ["cm", "kiosks", "--debug"], {
            MDKIT_CM_URL: cm.url,
            MDKIT_CM_CLIENT_ID: CLIENT_ID,
            MDKIT_CM_CLIENT_SECRET: clientSecret,
          });
          expect(run.code).toBe(2);
          expect(run.stderr).toContain("client authentication failed for");
        },
      );
    },
  );
});

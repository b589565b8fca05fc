/**
 * Servers that answer with `Authorization: Basic` material: the credential
 * base64-encoded, alone or after `user:` (any byte offset), in the standard
 * or URL alphabet, in a body or a header.
 */
import type { IncomingHttpHeaders } from "node:http";
import { clientCredentials, clusterSession, InvalidCredentialsError } from "@mdkit/auth";
import { AuthenticationError, createClusterClient, unwrap } from "@mdkit/cluster";
import { CANARIES, hostileCase, sendJson, startHostileServer } from "@mdkit/testing/hostile";
import { describe, expect, it } from "vitest";
import { CLI_RUNNERS, runAndReport } from "../cli-runners.js";
import { closedAfterEach } from "../server-pool.js";

const { apikey, password, clientSecret } = CANARIES;
const CLIENT_ID = "hostile-client";
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const track = closedAfterEach();

/** Every Basic-style rendering of `user:secret` a careless server might send back. */
const basicForms = (user: string, secret: string) => ({
  basic: `Basic ${b64(`${user}:${secret}`)}`,
  offset1: b64(`x${user}:${secret}`),
  offset2: b64(`xy${user}:${secret}`),
  url: Buffer.from(`${user}:${secret}`, "utf8").toString("base64url"),
  alone: b64(secret),
});

type CredentialOf = (body: string, headers: IncomingHttpHeaders) => [string, string];

/** Answers every request with 401 and the Basic forms of the credential it carried. */
const basicEcho = async (credentialOf: CredentialOf) =>
  track(
    await startHostileServer(async (request, response, context) => {
      const body = (await context.body()).toString("utf8");
      const forms = basicForms(...credentialOf(body, request.headers));
      const echo = { error: "invalid_client", error_description: `expected ${forms.basic}`, forms };
      sendJson(response, 401, echo, {
        "www-authenticate": `Basic realm="mdkit", hint="${forms.basic}"`,
        "x-hint": forms.url,
      });
    }),
  );

const apikeyOf: CredentialOf = (_body, headers) => ["apikey", String(headers.apikey ?? "")];
const passwordOf: CredentialOf = (body) => ["admin", JSON.parse(body).password];
const clientOf: CredentialOf = (body) => {
  const form = new URLSearchParams(body);
  return [form.get("client_id") ?? "", form.get("client_secret") ?? ""];
};

describe("a credential echoed in base64", () => {
  it("library: the gateway apikey, the login password and the client secret", async () => {
    await hostileCase("Basic auth echo (library)", { deadlineMs: 5_000 }, async (probe) => {
      const gateway = await basicEcho(apikeyOf);
      const keyed = createClusterClient({ baseUrl: gateway.url, auth: () => ({ apikey }) });
      const keyError = await unwrap(keyed.GET("/file/rules")).catch((e: unknown) => e);
      probe.error("apikey", keyError);
      expect(keyError).toBeInstanceOf(AuthenticationError);

      const login = await basicEcho(passwordOf);
      const session = clusterSession({ baseUrl: login.url, user: "admin", password });
      const loginError = await session.getSessionId().catch((e: unknown) => e);
      probe.error("login", loginError);
      expect(loginError).toBeInstanceOf(InvalidCredentialsError);

      const token = await basicEcho(clientOf);
      const auth = clientCredentials({ baseUrl: token.url, clientId: CLIENT_ID, clientSecret });
      const tokenError = await auth.getToken().catch((e: unknown) => e);
      probe.error("token", tokenError);
      expect(tokenError).toBeInstanceOf(InvalidCredentialsError);
      expect((tokenError as Error).message).toMatch(/expected Basic \S*\[REDACTED\]/);
    });
  });

  it.each(CLI_RUNNERS)(
    "$name: rules and cm kiosks against servers answering with Basic material",
    async (cli) => {
      await hostileCase(
        `Basic auth echo (${cli.name})`,
        { deadlineMs: cli.deadlineMs },
        async (probe) => {
          const gateway = await basicEcho(apikeyOf);
          const rules = await runAndReport(cli, probe, ["rules", "--debug"], {
            MDKIT_CLUSTER_URL: gateway.url,
            MDKIT_CLUSTER_APIKEY: apikey,
          });
          expect(rules.code).toBe(2);
          expect(rules.stderr).toContain("expected Basic");
          const token = await basicEcho(clientOf);
          const kiosks = await runAndReport(cli, probe, ["cm", "kiosks", "--debug"], {
            MDKIT_CM_URL: token.url,
            MDKIT_CM_CLIENT_ID: CLIENT_ID,
            MDKIT_CM_CLIENT_SECRET: clientSecret,
          });
          expect(kiosks.code).toBe(2);
          expect(kiosks.stderr).toContain("expected Basic");
        },
      );
    },
  );
});

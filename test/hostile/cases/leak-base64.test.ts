/**
 * Servers that answer with `Authorization: Basic` material: the credential
 * base64-encoded, alone or after `user:` (any byte offset), in the standard
 * or URL alphabet, in a body or a header.
 */
import { clientCredentials, clusterSession, InvalidCredentialsError } from "@mdkit/auth";
import { AuthenticationError, createClusterClient, unwrap } from "@mdkit/cluster";
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

const { apikey, password, clientSecret } = CANARIES;
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const b64url = (text: string) => Buffer.from(text, "utf8").toString("base64url");

const servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Every Basic-style rendering of `user:secret` a careless server might send back. */
const basicForms = (user: string, secret: string) => ({
  basic: `Basic ${b64(`${user}:${secret}`)}`,
  offset1: b64(`x${user}:${secret}`),
  offset2: b64(`xy${user}:${secret}`),
  url: b64url(`${user}:${secret}`),
  alone: b64(secret),
});

/** Answers every request with 401 and the Basic forms of the credential it carried. */
async function basicEcho(
  credentialOf: (body: string, headers: Record<string, unknown>) => [string, string],
) {
  const server = await startHostileServer(async (request, response, context) => {
    const body = (await context.body()).toString("utf8");
    const [user, secret] = credentialOf(body, request.headers);
    const forms = basicForms(user, secret);
    sendJson(
      response,
      401,
      { error: "invalid_client", error_description: `expected ${forms.basic}`, forms },
      { "www-authenticate": `Basic realm="mdkit", hint="${forms.basic}"`, "x-hint": forms.url },
    );
  });
  servers.push(server);
  return server;
}

describe("a credential echoed in base64", () => {
  it("library: the gateway apikey, the login password and the client secret", async () => {
    await hostileCase("Basic auth echo (library)", { deadlineMs: 5_000 }, async (probe) => {
      const gateway = await basicEcho((_body, headers) => ["apikey", String(headers.apikey ?? "")]);
      const keyed = createClusterClient({ baseUrl: gateway.url, auth: () => ({ apikey }) });
      const keyError = await unwrap(keyed.GET("/file/rules")).catch((e: unknown) => e);
      probe.error("apikey", keyError);
      expect(keyError).toBeInstanceOf(AuthenticationError);

      const login = await basicEcho((body) => ["admin", JSON.parse(body).password]);
      const session = clusterSession({ baseUrl: login.url, user: "admin", password });
      const loginError = await session.getSessionId().catch((e: unknown) => e);
      probe.error("login", loginError);
      expect(loginError).toBeInstanceOf(InvalidCredentialsError);

      const token = await basicEcho((body) => {
        const form = new URLSearchParams(body);
        return [form.get("client_id") ?? "", form.get("client_secret") ?? ""];
      });
      const auth = clientCredentials({
        baseUrl: token.url,
        clientId: "hostile-client",
        clientSecret,
      });
      const tokenError = await auth.getToken().catch((e: unknown) => e);
      probe.error("token", tokenError);
      expect(tokenError).toBeInstanceOf(InvalidCredentialsError);
      expect((tokenError as Error).message).toMatch(/expected Basic \S*\[REDACTED\]/);
    });
  });

  it("CLI in-process: cm kiosks against a token endpoint answering with Basic material", async () => {
    await hostileCase("Basic auth echo (CLI)", { deadlineMs: 5_000 }, async (probe) => {
      const token = await basicEcho((body) => {
        const form = new URLSearchParams(body);
        return [form.get("client_id") ?? "", form.get("client_secret") ?? ""];
      });
      const run = await runCli(["cm", "kiosks", "--debug"], {
        MDKIT_CM_URL: token.url,
        MDKIT_CM_CLIENT_ID: "hostile-client",
        MDKIT_CM_CLIENT_SECRET: clientSecret,
      });
      probe.output("stdout", run.stdout);
      probe.output("stderr", run.stderr);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("expected Basic");
    });
  });

  it.skipIf(!builtCliAvailable("leak-base64"))(
    "built CLI: rules against a gateway answering with Basic material",
    async () => {
      await hostileCase("Basic auth echo (built CLI)", { deadlineMs: 10_000 }, async (probe) => {
        const gateway = await basicEcho((_body, headers) => [
          "apikey",
          String(headers.apikey ?? ""),
        ]);
        const run = await runBuiltCli(["rules", "--debug"], {
          MDKIT_CLUSTER_URL: gateway.url,
          MDKIT_CLUSTER_APIKEY: apikey,
        });
        probe.output("stdout", run.stdout);
        probe.output("stderr", run.stderr);
        expect(run.code).toBe(2);
        expect(run.stderr).toContain("expected Basic");
      });
    },
  );
});

import { format } from "node:util";
import { registeredSecrets } from "@mdkit/core";
import { CANARIES, findLeaks, renderingsOf } from "@mdkit/testing/hostile";
import { describe, expect, it } from "vitest";
import {
  clientCredentials,
  clusterApiKey,
  clusterAuthFromEnv,
  clusterSession,
  InvalidCredentialsError,
} from "../src/index.js";

const BASE = "http://auth.test";
let counter = 0;
const fresh = (label: string) => `${label}-${Date.now().toString(36)}-${counter++}`;

/** A credential endpoint that refuses every request, echoing its body the way a careless server does. */
function echoingEndpoint(status: number, echo: (body: string) => unknown) {
  const seen: Request[] = [];
  const fetch = async (request: Request) => {
    seen.push(request.clone());
    const body = await request.text();
    return new Response(JSON.stringify(echo(body)), {
      status,
      headers: { "content-type": "application/json", "x-request-body": encodeURI(body) },
    });
  };
  return { fetch, seen };
}

function expectNoLeak(error: unknown, secrets: Record<string, string>) {
  const texts = { ...renderingsOf(error), format: format("%o", error) };
  expect(findLeaks(texts, secrets)).toEqual([]);
}

describe("every secret is registered the moment auth has it", () => {
  it("a client secret at creation, an access token when it arrives", async () => {
    const clientSecret = fresh("client secret ~!'()*");
    const token = fresh("token");
    const auth = clientCredentials({
      clientId: "id",
      clientSecret,
      baseUrl: BASE,
      fetch: async () => Response.json({ access_token: token, expires_in: 3600 }),
    });
    expect(registeredSecrets()).toContain(clientSecret);
    expect(registeredSecrets()).not.toContain(token);
    await auth.getToken();
    expect(registeredSecrets()).toContain(token);
  });

  it("a password at creation, a session id when login answers", async () => {
    const password = fresh('pass "word" \\');
    const session = fresh("session");
    const auth = clusterSession({
      user: "u",
      password,
      baseUrl: BASE,
      fetch: async () => Response.json({ session_id: session }),
    });
    expect(registeredSecrets()).toContain(password);
    await auth.getSessionId();
    expect(registeredSecrets()).toContain(session);
  });

  it("an API key at creation", () => {
    const apiKey = fresh("key");
    clusterApiKey({ apiKey, baseUrl: BASE });
    expect(registeredSecrets()).toContain(apiKey);
  });

  it("an environment secret with a trailing newline is sent and registered trimmed", async () => {
    const apiKey = fresh("env-key");
    const { auth } = clusterAuthFromEnv({
      MDKIT_CLUSTER_URL: ` ${BASE}\n`,
      MDKIT_CLUSTER_APIKEY: `${apiKey}\n`,
    });
    const headers = await auth.getHeaders(new Request(`${BASE}/file/rules`));
    expect(headers).toEqual({ apikey: apiKey });
    expect(registeredSecrets()).toContain(apiKey);
    expect(registeredSecrets()).not.toContain(`${apiKey}\n`);
  });
});

describe("a credential endpoint echoing its request body", () => {
  it("/login echoing the JSON body: the password never shows in any rendering", async () => {
    const { password } = CANARIES;
    const { fetch, seen } = echoingEndpoint(401, (body) => ({ err: `bad login ${body}` }));
    const auth = clusterSession({ user: "admin", password, baseUrl: BASE, fetch });
    const error = await auth.getSessionId().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidCredentialsError);
    expect((error as Error).message).toMatch(
      /bad login \{"user":"admin","password":"\[REDACTED\]"\}/,
    );
    expect(JSON.parse((await seen[0]?.text()) ?? "{}")).toEqual({ user: "admin", password });
    expectNoLeak(error, { password });
  });

  it("the token endpoint echoing the form body: the client secret never shows", async () => {
    const { clientSecret } = CANARIES;
    const { fetch } = echoingEndpoint(400, (body) => ({
      error: "invalid_client",
      error_description: `unknown client in ${body}`,
      request: body,
    }));
    const auth = clientCredentials({ clientId: "id", clientSecret, baseUrl: BASE, fetch });
    const error = await auth.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidCredentialsError);
    expect((error as InvalidCredentialsError).reason).toBe("invalid_client");
    expect((error as Error).message).toMatch(/client_secret=\[REDACTED\]/);
    expectNoLeak(error, { clientSecret });
  });

  it("a short password (below the registry's minimum) is still scrubbed from its own errors", async () => {
    const password = "pw4!";
    const { fetch } = echoingEndpoint(401, (body) => ({ err: `bad login ${body}` }));
    const error = await clusterSession({ user: "u", password, baseUrl: BASE, fetch })
      .getSessionId()
      .catch((e: unknown) => e);
    expect(registeredSecrets()).not.toContain(password);
    expect((error as Error).message).not.toContain(password);
  });
});

import { ConfigurationError } from "@mdkit/core";
import { describe, expect, it } from "vitest";
import { clientCredentialsFromEnv, clusterAuthFromEnv } from "../src/index.js";

describe("credentials from the environment", () => {
  it("reads Central Management client credentials", () => {
    const auth = clientCredentialsFromEnv({
      MDKIT_CM_CLIENT_ID: "id-1",
      MDKIT_CM_CLIENT_SECRET: "secret-1",
      MDKIT_CM_REGION: "eu",
    });
    expect(auth.clientId).toBe("id-1");
    expect(JSON.stringify(auth)).toContain("product.my.eu.opswat.com");
  });

  it("names the missing variable", () => {
    expect(() => clientCredentialsFromEnv({ MDKIT_CM_CLIENT_ID: "id-1" })).toThrow(
      /environment variable MDKIT_CM_CLIENT_SECRET is not set/,
    );
    expect(() =>
      clientCredentialsFromEnv({
        MDKIT_CM_CLIENT_ID: "a",
        MDKIT_CM_CLIENT_SECRET: "b",
        MDKIT_CM_REGION: "mars",
      }),
    ).toThrow(ConfigurationError);
  });

  it("prefers a static API key, else a login session", () => {
    const keyed = clusterAuthFromEnv({
      MDKIT_CLUSTER_URL: "http://gw.test",
      MDKIT_CLUSTER_APIKEY: "k-1234",
    });
    expect("refresh" in keyed.auth).toBe(false);
    const session = clusterAuthFromEnv({
      MDKIT_CLUSTER_URL: "http://gw.test",
      MDKIT_CLUSTER_USER: "admin",
      MDKIT_CLUSTER_PASSWORD: "admin",
    });
    expect(typeof session.auth.refresh).toBe("function");
    expect(session.baseUrl).toBe("http://gw.test");
  });

  it("trims surrounding whitespace (a trailing newline from a file) before use", async () => {
    const bodies: string[] = [];
    const auth = clientCredentialsFromEnv(
      {
        MDKIT_CM_CLIENT_ID: " id-1\n",
        MDKIT_CM_CLIENT_SECRET: "secret-from-file-1\n",
        MDKIT_CM_URL: "http://cm.test\n",
      },
      {
        fetch: async (request) => {
          bodies.push(await request.text());
          return Response.json({ access_token: "token-from-env-test", expires_in: 60 });
        },
      },
    );
    await auth.getToken();
    expect(Object.fromEntries(new URLSearchParams(bodies[0]))).toEqual({
      client_id: "id-1",
      client_secret: "secret-from-file-1",
      grant_type: "client_credentials",
    });
    expect(() =>
      clusterAuthFromEnv({
        MDKIT_CLUSTER_URL: "http://gw.test",
        MDKIT_CLUSTER_USER: "u",
        MDKIT_CLUSTER_PASSWORD: " \n",
      }),
    ).toThrow(/MDKIT_CLUSTER_PASSWORD is not set \(or blank\)/);
  });
});

import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { ConfigurationError, createApiClient, REDACTED, redactText, unwrap } from "../src/index.js";
import { json, operations, scriptedFetch, type TestPaths } from "./helpers.js";

const CANARY_KEY = "canary-apikey-7f3a9c";
const CANARY_TOKEN = "canary-bearer-51be02";

describe("redaction", () => {
  it("keeps credentials out of every rendering of an HTTP error", async () => {
    const { fetch } = scriptedFetch(
      json(
        {
          err: `apikey ${CANARY_KEY} is invalid`,
          session_id: "sess-canary-999",
          nested: [{ password: "pw-canary-111" }],
        },
        403,
        {
          "set-cookie": "sid=cookie-canary-222",
        },
      ),
    );
    const client = createApiClient<TestPaths>({
      source: "@mdkit/cluster",
      baseUrl: "https://gw.example.test",
      operations,
      fetch,
      auth: () => ({ apikey: CANARY_KEY, authorization: `Bearer ${CANARY_TOKEN}` }),
    });
    const error = await unwrap(
      client.GET("/items/{id}", { params: { path: { id: "1" } }, baseUrl: undefined }),
    ).catch((e) => e);
    const renderings = [
      error.message,
      String(error),
      JSON.stringify(error),
      inspect(error, { depth: 10 }),
      error.stack,
    ];
    for (const text of renderings) {
      for (const canary of [
        CANARY_KEY,
        CANARY_TOKEN,
        "sess-canary-999",
        "pw-canary-111",
        "cookie-canary-222",
      ]) {
        expect(text).not.toContain(canary);
      }
    }
    expect(error.request.headers.apikey).toBe(REDACTED);
    expect(error.message).toContain(`apikey ${REDACTED} is invalid`);
  });

  it("redacts secret query parameters in network errors", async () => {
    const fetch = async () => {
      throw new TypeError("fetch failed");
    };
    const client = createApiClient<TestPaths>({
      source: "@mdkit/cluster",
      baseUrl: "https://gw.example.test",
      operations,
      fetch,
      retry: false,
    });
    const error = await client
      .GET("/items/{id}", {
        params: { path: { id: "1" }, query: { apikey: "q-canary-333" } } as never,
      })
      .catch((e) => e);
    const text = `${error.message} ${JSON.stringify(error)} ${inspect(error)}`;
    expect(text).not.toContain("q-canary-333");
    expect(error.request.url).toBe(
      `https://gw.example.test/items/1?apikey=${encodeURIComponent(REDACTED)}`,
    );
  });

  it("refuses a base URL that carries credentials, without echoing them", () => {
    let error: unknown;
    try {
      createApiClient<TestPaths>({
        source: "@mdkit/cluster",
        baseUrl: "https://user:hunter2-canary@gw.example.test",
        operations,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(String(error)).not.toContain("hunter2-canary");
    expect(String(error)).toContain("baseUrl must not contain a user name or password");
  });

  it("replaces a secret that contains another one whole", () => {
    expect(redactText("key=abcd-efgh-1234", ["abcd", "abcd-efgh-1234"])).toBe(`key=${REDACTED}`);
  });
});

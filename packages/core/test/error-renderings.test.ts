import { format, inspect } from "node:util";
import { CANARIES, findLeaks, renderingsOf } from "@mdkit/testing/hostile";
import { describe, expect, it } from "vitest";
import {
  createApiClient,
  createHttpError,
  HttpError,
  MdkitError,
  NetworkError,
  registerSecret,
  unwrap,
} from "../src/index.js";
import { operations, scriptedFetch, type TestPaths } from "./helpers.js";

const { password, clientSecret, apikey } = CANARIES;

/** Every rendering of an error a user could log, including `%o` and the cause chain. */
function everyRendering(error: unknown): Record<string, string> {
  return { ...renderingsOf(error), format: format("%o", error), log: format("%s", error) };
}

describe("every rendering of an mdkit error is redacted", () => {
  it("a server echoing registered secrets in its body, status text and headers", async () => {
    for (const secret of [password, clientSecret, apikey]) registerSecret(secret);
    const { fetch } = scriptedFetch(() => {
      const echo = new URLSearchParams({ client_secret: clientSecret, grant_type: "x" });
      return new Response(
        JSON.stringify({
          error: "invalid_client",
          error_description: `bad request body: ${echo} / ${JSON.stringify({ password })}`,
        }),
        {
          status: 400,
          statusText: `Bad ${clientSecret}`,
          headers: {
            "content-type": "application/json",
            "set-cookie": `sid=${apikey}`,
            "x-echo": Buffer.from(`admin:${password}`).toString("base64"),
          },
        },
      );
    });
    const client = createApiClient<TestPaths>({
      source: "@mdkit/auth",
      baseUrl: "https://cm.example.test",
      operations,
      fetch,
    });
    const error = await unwrap(
      client.POST("/token", { body: { grant_type: "x", client_secret: clientSecret } }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    const rendered = everyRendering(error);
    expect(findLeaks(rendered, { password, clientSecret, apikey })).toEqual([]);
    expect((error as HttpError).message).toContain("bad request body: client_secret=[REDACTED]");
  });

  it("keeps the raw response off the error: a getter, not a property, even for showHidden", () => {
    const response = new Response("{}", { status: 403, headers: { "x-trace": "trace-1" } });
    const error = createHttpError({
      status: 403,
      request: { method: "GET", url: "https://gw.example.test/file/rules" },
      response,
      body: {},
    });
    expect(error.response).toBe(response);
    expect(Object.getOwnPropertyNames(error)).not.toContain("response");
    for (const text of [
      inspect(error, { showHidden: true, depth: 10 }),
      inspect(error, { showHidden: true, depth: 10, customInspect: false }),
      format("%o", error),
    ]) {
      expect(text).toContain("'x-trace': 'trace-1'");
      expect(text).not.toMatch(/Response \{|Headers \{|HeadersList/);
    }
  });

  it("replaces a foreign cause with a redacted copy keeping its class, name and code", () => {
    const key = "explicit-key-5c81d2";
    const pass = "explicit pass 'word' é";
    const root = Object.assign(new Error(`socket closed after ${key}`), {
      code: "ECONNRESET",
      host: key,
    });
    const cause = new TypeError(`fetch failed for ${encodeURIComponent(pass)}`, { cause: root });
    Object.defineProperty(cause, "name", { value: "FetchError" });
    const error = createHttpError({
      status: 0,
      request: { method: "GET", url: "https://gw.example.test/x" },
      cause,
      secrets: [pass, key],
    });
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(error.cause).not.toBe(cause);
    const copy = error.cause as TypeError & { cause: Error & { code: string } };
    expect(copy.name).toBe("FetchError");
    expect(copy.cause.code).toBe("ECONNRESET");
    expect(findLeaks(everyRendering(error), { pass, key })).toEqual([]);
  });

  it("redacts fields a subclass sets after construction, and secrets registered later", () => {
    class EchoError extends MdkitError {
      readonly detail: string;
      constructor(detail: string) {
        super("the server said something");
        this.detail = detail;
      }
    }
    const late = `late-secret-${Date.now()}`;
    const error = new EchoError(`status ${late} and ${JSON.stringify(password).slice(1, -1)}`);
    registerSecret(password);
    registerSecret(late);
    const rendered = everyRendering(error);
    expect(findLeaks(rendered, { password, late })).toEqual([]);
    expect(JSON.parse(rendered.JSON ?? "{}")).toMatchObject({
      detail: "status [REDACTED] and [REDACTED]",
    });
  });

  it("renders like an ordinary error otherwise", () => {
    const error = new MdkitError("plain message", { source: "@mdkit/scan" });
    expect(inspect(error)).toMatch(/^MdkitError: \[@mdkit\/scan\] plain message\n\s+at /);
    expect(inspect(error)).toContain("source: '@mdkit/scan'");
    expect(String(error)).toBe("MdkitError: [@mdkit/scan] plain message");
  });
});

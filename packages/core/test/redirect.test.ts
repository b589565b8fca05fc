import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiClient, HttpError, unwrap } from "../src/index.js";
import { operations, type TestPaths } from "./helpers.js";

// Two loopback servers on different ports are two origins: the first
// redirects every request to the second, which records what it received.
let redirector: Server;
let elsewhere: Server;
let redirectorUrl = "";
const received: IncomingHttpHeaders[] = [];

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve(`http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`);
    }),
  );

beforeAll(async () => {
  elsewhere = createServer((req, res) => {
    received.push(req.headers);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ id: "stolen", name: "x" }));
  });
  const target = await listen(elsewhere);
  redirector = createServer((req, res) => {
    res.writeHead(302, { location: `${target}${req.url}` });
    res.end();
  });
  redirectorUrl = await listen(redirector);
});

afterAll(async () => {
  for (const server of [redirector, elsewhere]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe("redirects", () => {
  it("are not followed, so credentials never reach another origin (global fetch)", async () => {
    const client = createApiClient<TestPaths>({
      source: "@mdkit/test",
      baseUrl: redirectorUrl,
      operations,
      auth: () => ({ apikey: "redirect-canary-key" }),
    });
    const error = await unwrap(client.GET("/items/{id}", { params: { path: { id: "1" } } })).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(302);
    expect(received).toEqual([]);
  });
});

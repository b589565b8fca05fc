// URL inputs come from a server the queue does not control: whatever it does (an endless body,
// a trickle, silence, more bytes than were queued), a download ends with a typed error naming
// the limit, within that limit, and nothing is left behind.
import { createHash } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { QueueInputError } from "../src/errors.js";
import {
  DEFAULT_DOWNLOAD_LIMITS,
  downloadLimitsOf,
  redirectTarget,
} from "../src/internal/bounded-download.js";
import { openJobSource } from "../src/internal/open-source.js";
import { prepareInput } from "../src/queue-input.js";

/** How the server answers a request for `path`. */
type Behaviour = (response: ServerResponse, path: string) => void;
const servers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()));
});

/** A server on 127.0.0.1 answering every request with `behaviour`; closed after the test. */
async function serve(behaviour: Behaviour): Promise<string> {
  const server = createServer((request, response) => behaviour(response, request.url ?? "/"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/file.bin`;
}

const endless: Behaviour = (response) => {
  response.writeHead(200, { "content-type": "application/octet-stream" });
  const chunk = Buffer.alloc(64 * 1024, 7);
  const write = () => {
    while (response.write(chunk)) {}
    response.once("drain", write);
  };
  write();
};

const limits = (overrides: Partial<typeof DEFAULT_DOWNLOAD_LIMITS>) => ({
  ...DEFAULT_DOWNLOAD_LIMITS,
  ...overrides,
});

describe("downloading a URL input", () => {
  it("an endless body stops just past maxBytes", async () => {
    const url = await serve(endless);
    const error = await prepareInput({ url }, limits({ maxBytes: 1_000_000 }), undefined).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(QueueInputError);
    expect((error as Error).message).toMatch(/more than 1000000 bytes sent/);
    expect((error as Error).message).not.toContain(url);
  });

  it("an announced length over maxBytes is refused before the body is read", async () => {
    const url = await serve((response) => {
      response.writeHead(200, { "content-length": "5000000" });
      response.write(Buffer.alloc(1024));
    });
    const error = await prepareInput({ url }, limits({ maxBytes: 1_000_000 }), undefined).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(QueueInputError);
    expect((error as Error).message).toMatch(/5000000 bytes announced, over 1000000/);
  });

  it("a server that goes silent fails after idleTimeoutMs, before or during the body", async () => {
    const silentHeaders = await serve(() => {});
    const started = Date.now();
    const before = await prepareInput(
      { url: silentHeaders },
      limits({ idleTimeoutMs: 200 }),
      undefined,
    ).catch((e: unknown) => e);
    expect(before).toBeInstanceOf(QueueInputError);
    expect((before as Error).message).toMatch(/nothing received for 200 ms/);
    const silentBody = await serve((response) => {
      response.writeHead(200);
      response.write("a few bytes, then nothing");
    });
    const during = await prepareInput(
      { url: silentBody },
      limits({ idleTimeoutMs: 200 }),
      undefined,
    ).catch((e: unknown) => e);
    expect(during).toBeInstanceOf(QueueInputError);
    expect((during as Error).message).toMatch(/nothing received for 200 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("a trickle that never ends fails after timeoutMs", async () => {
    const url = await serve((response) => {
      response.writeHead(200);
      const timer = setInterval(() => response.write("x"), 20);
      response.on("close", () => clearInterval(timer));
    });
    const started = Date.now();
    const error = await prepareInput(
      { url },
      limits({ timeoutMs: 300, idleTimeoutMs: 200 }),
      undefined,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueInputError);
    expect((error as Error).message).toMatch(/no complete download within 300 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("a worker never downloads more than the size recorded when the job was added", async () => {
    const url = await serve(endless);
    const error = await openJobSource(
      {
        v: 1,
        source: { kind: "url", url },
        name: "file.bin",
        sha256: "0".repeat(64),
        size: 100_000,
        rule: undefined,
        producer: "test",
        addedAt: 0,
      },
      DEFAULT_DOWNLOAD_LIMITS,
      undefined,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueInputError);
    expect((error as Error).message).toMatch(/more than 100000 bytes sent/);
  });

  it("a body within the limits is hashed whole", async () => {
    const content = Buffer.alloc(300_000, 3);
    const url = await serve((response) => {
      response.writeHead(200, { "content-length": String(content.length) });
      response.end(content);
    });
    const prepared = await prepareInput({ url }, DEFAULT_DOWNLOAD_LIMITS, undefined);
    expect(prepared).toMatchObject({
      size: content.length,
      sha256: createHash("sha256").update(content).digest("hex"),
    });
  });

  it("refuses limits that are not positive numbers", () => {
    expect(() => downloadLimitsOf({ maxBytes: 0 })).toThrow(
      /download.maxBytes must be a positive number/,
    );
    expect(() => downloadLimitsOf({ timeoutMs: Number.NaN })).toThrow(/download.timeoutMs/);
    expect(() => downloadLimitsOf({ maxRedirects: -1 })).toThrow(
      /download.maxRedirects must be a whole number from 0/,
    );
    expect(() => downloadLimitsOf({ maxRedirects: 1.5 })).toThrow(/download.maxRedirects/);
    expect(downloadLimitsOf({ maxRedirects: 0 }).maxRedirects).toBe(0);
  });
});

describe("redirects of a URL input", () => {
  it("follows a few redirects (relative and absolute) to the body", async () => {
    const content = Buffer.from("the file behind two redirects");
    let requests = 0;
    const url = await serve((response, path) => {
      requests++;
      if (path === "/file.bin") response.writeHead(302, { location: "/moved/once" }).end();
      else if (path === "/moved/once") response.writeHead(307, { location: "twice" }).end();
      else response.end(content);
    });
    const prepared = await prepareInput({ url }, DEFAULT_DOWNLOAD_LIMITS, undefined);
    expect(prepared.sha256).toBe(createHash("sha256").update(content).digest("hex"));
    expect(requests).toBe(3);
  });

  it("a redirect loop ends after maxRedirects, the URL never named", async () => {
    let requests = 0;
    const url = await serve((response) => {
      requests++;
      response.writeHead(301, { location: "/file.bin?again" }).end();
    });
    const error = await prepareInput({ url }, DEFAULT_DOWNLOAD_LIMITS, undefined).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(QueueInputError);
    expect((error as Error).message).toMatch(/more than 5 redirects/);
    expect((error as Error).message).not.toContain("127.0.0.1");
    expect(requests).toBe(6);
    const none = await prepareInput({ url }, limits({ maxRedirects: 0 }), undefined).catch(
      (e: unknown) => e,
    );
    expect((none as Error).message).toMatch(/more than 0 redirects/);
  });

  it("a redirect to another scheme is refused", async () => {
    for (const location of ["file:///etc/passwd", "data:text/plain,clean", "ftp://example/x"]) {
      const url = await serve((response) => response.writeHead(302, { location }).end());
      const error = await prepareInput({ url }, DEFAULT_DOWNLOAD_LIMITS, undefined).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(QueueInputError);
      expect((error as Error).message).toMatch(
        /a redirect to something other than an http\(s\) URL/,
      );
    }
  });

  it("never from https down to http; https to https and http to https are followed", () => {
    const from = new URL("https://files.example/a?X-Amz-Signature=secret");
    expect(() => redirectTarget(from, "http://files.example/b", 0, 5, "downloading")).toThrow(
      /downloading: a redirect from https down to plain http$/,
    );
    expect(redirectTarget(from, "/b", 0, 5, "d").href).toBe("https://files.example/b");
    expect(redirectTarget(new URL("http://h/a"), "https://h/b", 0, 5, "d").protocol).toBe("https:");
  });
});

// The receiver as a fetch handler: what it accepts, what it refuses, and
// that its memory stays bounded whatever the sender does.
import { registerSecret } from "@mdkit/core";
import { describe, expect, it } from "vitest";
import { CallbackReceiverError, createCallbackHandler } from "../src/index.js";

const BASE = "http://callbacks.test/hooks";
const json = (url: string, body: unknown, init: RequestInit = {}) =>
  new Request(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    ...init,
  });

/** A body stream that counts what was pulled from it and never ends on its own. */
function endless(chunkBytes: number) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled += chunkBytes;
      controller.enqueue(new Uint8Array(chunkBytes).fill(0x20));
    },
  });
  return { stream, pulled: () => pulled };
}

describe("createCallbackHandler", () => {
  it("hands out distinct callback URLs with a 256-bit base64url token", () => {
    const receiver = createCallbackHandler({ publicUrl: `${BASE}/` });
    const urls = Array.from({ length: 100 }, () => receiver.subscribe()?.url ?? "");
    expect(new Set(urls).size).toBe(100);
    for (const url of urls) expect(url).toMatch(/^http:\/\/callbacks\.test\/hooks\/[\w-]{43}$/);
    expect(receiver.stats.outstanding).toBe(100);
  });

  it("wakes the subscription its token names, once; a duplicate is answered and ignored", async () => {
    const receiver = createCallbackHandler({ publicUrl: BASE });
    const subscription = receiver.subscribe();
    subscription?.bind("abc123");
    const url = subscription?.url ?? "";
    expect((await receiver.fetch(json(url, { data_id: "abc123" }))).status).toBe(200);
    expect(await subscription?.outcome).toBe("called");
    expect((await receiver.fetch(json(url, { data_id: "abc123" }))).status).toBe(200);
    expect(receiver.stats).toMatchObject({ accepted: 1, duplicates: 1 });
    subscription?.dispose();
    expect((await receiver.fetch(json(url, { data_id: "abc123" }))).status).toBe(404);
  });

  it("refuses unknown tokens, other paths and other methods without reading the body", async () => {
    const receiver = createCallbackHandler({ publicUrl: BASE });
    const subscription = receiver.subscribe();
    const guess = `${BASE}/${"A".repeat(43)}`;
    const body = endless(1024);
    const unknown = await receiver.fetch(
      new Request(guess, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: body.stream,
        duplex: "half",
      } as RequestInit),
    );
    expect(unknown.status).toBe(404);
    // At most what the stream buffers ahead: nothing was read for an unknown token.
    expect(body.pulled()).toBeLessThanOrEqual(2 * 1024);
    expect((await receiver.fetch(json(`http://callbacks.test/other/x`, {}))).status).toBe(404);
    const get = await receiver.fetch(new Request(subscription?.url ?? ""));
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect(receiver.stats.unknown).toBe(3);
  });

  it("takes JSON objects only: another type is 415, bad JSON or another data_id type is 400", async () => {
    const receiver = createCallbackHandler({ publicUrl: BASE });
    const text = receiver.subscribe();
    const broken = receiver.subscribe();
    const typed = receiver.subscribe();
    for (const s of [text, broken, typed]) s?.bind("abc");
    const plain = await receiver.fetch(
      new Request(text?.url ?? "", {
        method: "POST",
        body: "{}",
        headers: { "content-type": "text/plain" },
      }),
    );
    expect(plain.status).toBe(415);
    const bad = await receiver.fetch(
      new Request(broken?.url ?? "", {
        method: "POST",
        body: "{not json",
        headers: { "content-type": "application/json" },
      }),
    );
    expect(bad.status).toBe(400);
    expect(await broken?.outcome).toBe("refused");
    expect((await receiver.fetch(json(typed?.url ?? "", { data_id: 42 }))).status).toBe(400);
    expect(await typed?.outcome).toBe("refused");
  });

  it("refuses bodies over maxBodyBytes, declared or not, reading no more than the limit", async () => {
    const receiver = createCallbackHandler({ publicUrl: BASE, maxBodyBytes: 1_000 });
    const declared = receiver.subscribe();
    const big = await receiver.fetch(
      json(declared?.url ?? "", { data_id: "x", pad: "y".repeat(2_000) }),
    );
    expect(big.status).toBe(413);
    const streamed = receiver.subscribe();
    const body = endless(256);
    const answer = await receiver.fetch(
      new Request(streamed?.url ?? "", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: body.stream,
        duplex: "half",
      } as RequestInit),
    );
    expect(answer.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(1_000 + 3 * 256);
  });

  it("gives up on a body that does not arrive within bodyTimeoutMs (408)", async () => {
    const receiver = createCallbackHandler({ publicUrl: BASE, bodyTimeoutMs: 30 });
    const subscription = receiver.subscribe();
    const never = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
    const answer = await receiver.fetch(
      new Request(subscription?.url ?? "", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: never,
        duplex: "half",
      } as RequestInit),
    );
    expect(answer.status).toBe(408);
    expect(receiver.stats.rejected).toBe(1);
  });

  it("keeps at most maxOutstanding submissions waiting: beyond it a scan polls", () => {
    const receiver = createCallbackHandler({ publicUrl: BASE, maxOutstanding: 2 });
    const a = receiver.subscribe();
    expect(receiver.subscribe()).toBeDefined();
    expect(receiver.subscribe()).toBeUndefined();
    a?.dispose();
    expect(receiver.subscribe()).toBeDefined();
  });

  it("close() wakes every waiting scan with `closed` and refuses later calls (503)", async () => {
    const receiver = createCallbackHandler({ publicUrl: BASE });
    const subscription = receiver.subscribe();
    await receiver.close();
    expect(await subscription?.outcome).toBe("closed");
    expect((await receiver.fetch(json(subscription?.url ?? "", {}))).status).toBe(503);
    expect(receiver.subscribe()).toBeUndefined();
  });

  it("refuses public URLs that would carry a secret or are not plain http(s)", () => {
    registerSecret("callback-test-secret-1234");
    for (const publicUrl of [
      "ftp://hooks.example.com/x",
      "http://user:pass@hooks.example.com/x",
      "http://hooks.example.com/x?apikey=1",
      "http://hooks.example.com/x#frag",
      "http://hooks.example.com/callback-test-secret-1234",
      "not a url",
    ]) {
      let error: unknown;
      try {
        createCallbackHandler({ publicUrl });
      } catch (e) {
        error = e;
      }
      expect(error, publicUrl).toBeInstanceOf(CallbackReceiverError);
      expect(String((error as Error).message)).not.toContain("callback-test-secret-1234");
      expect(String((error as Error).message)).not.toContain("pass@");
    }
  });

  it("counts missed callbacks: unreachable after three in a row, reachable again after one", async () => {
    const receiver = createCallbackHandler({ publicUrl: BASE });
    for (let i = 0; i < 3; i++) receiver.subscribe()?.late();
    expect(receiver.reachable).toBe(false);
    const next = receiver.subscribe();
    next?.bind("abc");
    await receiver.fetch(json(next?.url ?? "", { data_id: "abc" }));
    expect(receiver.reachable).toBe(true);
  });
});

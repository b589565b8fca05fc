// Hostile senders at the Node receiver over real HTTP on 127.0.0.1: its
// answers come from what it read of the request, never from waiting for a
// body it has no use for, and nothing a sender does breaks the listener.
import { type ClientRequest, request as httpRequest } from "node:http";
import { describe, expect, it, vi } from "vitest";
import { createCallbackReceiver, type NodeCallbackReceiver } from "../src/node/index.js";

/**
 * Opens a POST to `url` and writes `chunks` without ending the body; `status`
 * is the answer's, or "closed"; `written` settles once the chunks left.
 */
function openPost(url: string, headers: Record<string, string | number>, chunks: string[]) {
  const req: ClientRequest = httpRequest(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
  });
  const status = new Promise<number | "closed">((resolve) => {
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", () => resolve("closed"));
  });
  const written = Promise.all(
    chunks.map((chunk) => new Promise<void>((resolve) => req.write(chunk, () => resolve()))),
  );
  return { req, status, written };
}

/** A proper callback for `subscription`'s data_id: the receiver still works and the wait was not used up. */
async function callBack(receiver: NodeCallbackReceiver, url: string, dataId: string) {
  const answer = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ data_id: dataId }),
  });
  expect(answer.status).toBe(200);
  expect(receiver.stats.accepted).toBe(1);
}

describe("createCallbackReceiver (Node) against hostile senders", () => {
  it("a body past maxBodyBytes without content-length is answered 413 without waiting for its end", async () => {
    await using receiver = await createCallbackReceiver({ maxBodyBytes: 1_000 });
    const subscription = receiver.subscribe();
    subscription?.bind("id1");
    // Chunked, 4 kB sent and never ended: only a reader that stops at the limit can answer.
    const sender = openPost(subscription?.url ?? "", {}, Array(4).fill(" ".repeat(1_000)));
    expect(await sender.status).toBe(413);
    sender.req.destroy();
    expect(receiver.stats.rejected).toBe(1);
    await callBack(receiver, subscription?.url ?? "", "id1");
    expect(await subscription?.outcome).toBe("called");
  });

  it("a wrong token is answered 404 without reading the declared 10 MB body", async () => {
    await using receiver = await createCallbackReceiver();
    receiver.subscribe();
    const sender = openPost(`${receiver.url}/${"A".repeat(43)}`, { "content-length": 10_000_000 }, [
      "{",
    ]);
    expect(await sender.status).toBe(404);
    sender.req.destroy();
    expect(receiver.stats).toMatchObject({ unknown: 1, rejected: 0, accepted: 0 });
  });

  it("a sender going away mid-body is counted as rejected; the wait and the listener go on", async () => {
    await using receiver = await createCallbackReceiver();
    const subscription = receiver.subscribe();
    subscription?.bind("id2");
    const sender = openPost(subscription?.url ?? "", { "content-length": 1_000 }, ['{"data_id":']);
    // Gone once the headers and part of the body are out.
    await sender.written;
    sender.req.destroy();
    expect(await sender.status).toBe("closed");
    await vi.waitFor(() => expect(receiver.stats.rejected).toBe(1));
    expect(receiver.stats.accepted).toBe(0);
    await callBack(receiver, subscription?.url ?? "", "id2");
    expect(await subscription?.outcome).toBe("called");
  });
});

import { once } from "node:events";
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

/** One request the hostile server received, as it arrived (headers and body untouched). */
export interface RecordedRequest {
  method: string;
  /** Path and query. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The body, when the handler read it with `body()`. */
  body?: Buffer;
}

/** What a hostile handler gets besides the raw request and response. */
export interface HostileContext {
  /** Reads the whole request body (at most `limit` bytes, default 64 MiB) and records it. */
  body(limit?: number): Promise<Buffer>;
  /** How many requests came before this one (0 for the first). */
  index: number;
  /** The record of this request, for the test to inspect later. */
  record: RecordedRequest;
}

/**
 * Answers one request however an attacker likes: wrong statuses, lies,
 * silence, trickles, bombs. It may leave the response open forever; the
 * server's `close()` destroys every connection anyway.
 */
export type HostileHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  context: HostileContext,
) => void | Promise<void>;

/** A running hostile server on 127.0.0.1. */
export interface HostileServer extends AsyncDisposable {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Stops listening and destroys every open connection (hanging answers included). */
  close(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1 (port chosen by the system) that hands every
 * request to `handler`. A handler that throws answers 500. Tests use it to play
 * a gateway, token endpoint or tunnel that lies, stalls or floods.
 */
export async function startHostileServer(handler: HostileHandler): Promise<HostileServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    const record: RecordedRequest = {
      method: request.method ?? "GET",
      url: request.url ?? "/",
      headers: request.headers,
    };
    requests.push(record);
    const context: HostileContext = {
      index: requests.length - 1,
      record,
      async body(limit = 64 * 1024 * 1024) {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of request as AsyncIterable<Buffer>) {
          size += chunk.byteLength;
          if (size > limit) throw new Error(`request body over ${limit} bytes`);
          chunks.push(chunk);
        }
        record.body = Buffer.concat(chunks);
        return record.body;
      },
    };
    Promise.resolve()
      .then(() => handler(request, response, context))
      .catch(() => {
        if (!response.headersSent) response.writeHead(500).end();
        else response.destroy();
      });
  });
  // Hanging answers must never keep a test process alive.
  server.keepAliveTimeout = 1_000;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };
  return { url: `http://127.0.0.1:${port}`, requests, close, [Symbol.asyncDispose]: close };
}

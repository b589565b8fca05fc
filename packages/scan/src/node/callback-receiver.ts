import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { CallbackHandlerOptions, CallbackReceiver } from "../callback-receiver.js";
import { CallbackReceiverError } from "../errors.js";
import { openReceiver, type ReceiverCore } from "../internal/callback-handler.js";
import { normalizePath } from "../internal/callback-url.js";
import { nodeCall, requestPath } from "./callback-call.js";

/** Options of {@link createCallbackReceiver}. Sizes in bytes, times in ms. */
export interface CallbackReceiverOptions
  extends Omit<CallbackHandlerOptions, "publicUrl" | "path"> {
  /** Interface to listen on. Default `127.0.0.1` (use `0.0.0.0` to be reachable from the gateway's host). */
  host?: string | undefined;
  /** Port to listen on. Default 0 (a free port, see `address`). */
  port?: number | undefined;
  /**
   * Serve callbacks from this existing server instead of listening: requests
   * under `path` are the receiver's, every other request goes to the server's
   * own handlers, as before. `close()` gives the server back untouched.
   */
  server?: Server | undefined;
  /** The path prefix of callback URLs, as the receiver sees it. Default `/mdkit-callbacks`. */
  path?: string | undefined;
  /**
   * The base URL the gateway reaches the receiver at, when it differs from
   * the listening address (behind a proxy or NAT). Default
   * `http://<host>:<port><path>` of the listening address.
   */
  publicUrl?: string | undefined;
}

/** A callback receiver served by Node's HTTP server. */
export interface NodeCallbackReceiver extends CallbackReceiver {
  /** Where it listens (or where the mounted server listens), when known. */
  readonly address: { host: string; port: number } | undefined;
  /**
   * The receiver as a Node request listener (Express/Connect style): handles
   * requests under `path`, passes any other to `next` (404 without one).
   */
  listener(request: IncomingMessage, response: ServerResponse, next?: () => void): void;
}

const NOT_FOUND_HEADERS = { "cache-control": "no-store" };

/** Serves `handle` for requests under `prefix` as a Node listener. */
function nodeListener(
  handle: ReceiverCore["handle"],
  prefix: string,
): NodeCallbackReceiver["listener"] {
  const under = `${prefix}/`;
  return (request, response, next) => {
    const target = request.url ?? "/";
    if (!target.startsWith(under)) {
      if (next) return next();
      response.writeHead(404, NOT_FOUND_HEADERS).end();
      return;
    }
    // Nothing a sender does may throw out of the listener (it would end the process).
    Promise.resolve()
      .then(() => handle(nodeCall(request, requestPath(target))))
      .then(
        (answer) => {
          // A body left unread (refused, too large) is not waited for: the connection closes.
          if (!request.complete) response.setHeader("connection", "close");
          response.writeHead(answer.status, answer.headers).end();
          response.on("finish", () => {
            if (!request.complete) request.socket.destroy();
          });
        },
        () => {
          response.writeHead(500, { connection: "close" }).end();
        },
      )
      .catch(() => response.destroy());
  };
}

const hostOf = (address: AddressInfo) =>
  address.family === "IPv6" ? `[${address.address}]` : address.address;

/**
 * Creates a callback receiver served by Node: it listens on `host`:`port`
 * (or mounts on an existing `server`), hands out one callback URL per
 * submission (`<publicUrl>/<token>`, 256 random bits), and wakes the scan
 * waiting for it when the gateway calls back. Pass it to `scanFile` /
 * `scanFiles` as `callbacks`; close it (or `await using` it) when done.
 *
 * The verdict never comes from a callback: a callback only makes the scan
 * confirm its result with one `GET /file/{data_id}` at once; a late, lost or
 * refused callback hands over to polling. Bodies are limited in size and
 * time, read only for a known token, and must be JSON.
 *
 * @throws {CallbackReceiverError} when the public URL is not a plain
 *   http(s) URL, or the server cannot listen.
 *
 * @example
 * ```ts
 * import { createCallbackReceiver, scanFiles } from "@mdkit/scan/node";
 *
 * await using callbacks = await createCallbackReceiver({
 *   host: "0.0.0.0",
 *   port: 8081,
 *   publicUrl: "http://10.0.0.5:8081/mdkit-callbacks",
 * });
 * for await (const item of scanFiles(cluster, paths, { callbacks })) console.log(item);
 * ```
 */
export async function createCallbackReceiver(
  options: CallbackReceiverOptions = {},
): Promise<NodeCallbackReceiver> {
  const prefix = normalizePath(
    options.path ?? (options.publicUrl ? new URL(options.publicUrl).pathname : "/mdkit-callbacks"),
  );
  const owned = options.server === undefined;
  // Slow senders end: the headers within 10 s, the whole request a little after the body's time.
  const requestTimeout = (options.bodyTimeoutMs ?? 10_000) + 5_000;
  const server =
    options.server ??
    createServer({ requestTimeout, headersTimeout: Math.min(10_000, requestTimeout) });
  if (owned) {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    }).catch((error: unknown) => {
      throw new CallbackReceiverError(
        `the callback receiver cannot listen on ${options.host ?? "127.0.0.1"}:${options.port ?? 0}: ${(error as Error).message}; choose another port or host`,
        { cause: error },
      );
    });
  }
  const address = server.address();
  const listening = address && typeof address === "object" ? address : undefined;
  const publicUrl =
    options.publicUrl ??
    (listening ? `http://${hostOf(listening)}:${listening.port}${prefix}` : undefined);
  if (!publicUrl) {
    throw new CallbackReceiverError(
      "the callback receiver mounted on a server that is not listening needs `publicUrl`: the address the gateway reaches it at",
    );
  }
  let core: ReceiverCore;
  try {
    core = openReceiver({ ...options, publicUrl, path: prefix });
  } catch (error) {
    if (owned) server.close();
    throw error;
  }
  const handler = core.receiver;
  const listener = nodeListener(core.handle, prefix);
  const previous = owned ? [] : server.listeners("request");
  if (owned) server.on("request", (request, response) => listener(request, response));
  else {
    // Mounted: callbacks are ours, everything else goes to the server's handlers as before.
    server.removeAllListeners("request");
    server.on("request", (request: IncomingMessage, response: ServerResponse) =>
      listener(request, response, () => {
        for (const other of previous) other.call(server, request, response);
      }),
    );
  }
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await handler.close();
      if (owned) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      } else {
        server.removeAllListeners("request");
        for (const other of previous) server.on("request", other as (...args: unknown[]) => void);
      }
    })();
    return closing;
  };
  return {
    url: handler.url,
    fetch: handler.fetch,
    subscribe: () => handler.subscribe(),
    patience: handler.patience,
    get reachable() {
      return handler.reachable;
    },
    get stats() {
      return handler.stats;
    },
    address: listening ? { host: listening.address, port: listening.port } : undefined,
    listener,
    close,
    [Symbol.asyncDispose]: close,
  };
}

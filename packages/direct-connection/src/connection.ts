// `AsyncDisposable` (for `await using`) is declared by this library, not by the default
// ones of an ES2022 target: the reference travels into the published declarations, so
// consumers without @types/node or an "esnext" lib can use these types too.
/// <reference lib="esnext.disposable" preserve="true" />
import { type CentralManagementClient, unwrap } from "@mdkit/central-management";
import { createDeadline, sleep } from "@mdkit/core";
import { DirectConnectionError, DirectConnectionTimeoutError } from "./errors.js";
import { createTunnelFetch } from "./tunnel-fetch.js";

/** Options of {@link openDirectConnection}. Delays in milliseconds. */
export interface OpenDirectConnectionOptions {
  /** The product: `mdcore` (MetaDefender Core) or `mdicap` (MetaDefender ICAP). */
  productType: "mdcore" | "mdicap";
  /** Deployment id of the enrolled instance. */
  deploymentId: string;
  /** Why the connection is opened (sent as `Purpose`, shown in the console). */
  purpose?: string;
  /** How long to wait for `CONNECTED`. Default 60,000. */
  timeoutMs?: number;
  /** First status poll; later ones back off up to 2,000. Default 100. */
  pollIntervalMs?: number;
  /** Cancels the wait (the connection is closed again). */
  signal?: AbortSignal;
}

/**
 * An open direct connection to a product instance. `fetch` sends any product
 * request through it; `baseUrl` is the virtual origin to give a client using
 * that `fetch`. Close it with `close()` or `await using`.
 */
export interface DirectConnection extends AsyncDisposable {
  /** The connection id (`connId`). */
  readonly id: string;
  /** The last status seen (`CONNECTED` once open). */
  readonly status: string;
  /** The deployment it reaches. */
  readonly deploymentId: string;
  /** A virtual origin for product clients, e.g. `http://mdcore.direct-connection`. */
  readonly baseUrl: string;
  /** Sends a product request through the tunnel; resolves with the product's response. */
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
  /** Asks Central Management for the current status. */
  refresh(): Promise<string>;
  /** Closes the connection (idempotent). */
  close(): Promise<void>;
}

/**
 * Opens a direct connection from Central Management to an on-premise
 * MetaDefender Core or ICAP instance and waits until it is `CONNECTED`.
 * Product requests then go through `connection.fetch`: give it to a product
 * client, with `connection.baseUrl` as that client's base URL.
 *
 * @throws {DirectConnectionTimeoutError} when it is not connected within `timeoutMs` (it is closed again).
 * @throws {DirectConnectionError} when Central Management reports it `FAILED` or `DISCONNECTED`.
 * @example
 * ```ts
 * await using connection = await openDirectConnection(cm, { productType: "mdcore", deploymentId });
 * const core = createClusterClient({ baseUrl: connection.baseUrl, fetch: connection.fetch, auth: () => ({ apikey }) });
 * const rules = await unwrap(core.GET("/file/rules"));
 * ```
 */
export async function openDirectConnection(
  cm: CentralManagementClient,
  options: OpenDirectConnectionOptions,
): Promise<DirectConnection> {
  const { productType, deploymentId, signal } = options;
  const timeoutMs = options.timeoutMs ?? 60_000;
  // Every request and wait until CONNECTED ends by the deadline.
  const deadline = createDeadline({
    timeoutMs,
    signal,
    source: "@mdkit/direct-connection",
    what: `opening a connection to ${deploymentId}`,
  });
  const opened = await unwrap(
    cm.POST("/fusion/console/services/connection/request/{productType}", {
      params: { path: { productType } },
      body: { deploymentId, ...(options.purpose ? { Purpose: options.purpose } : {}) },
      signal: deadline.signal,
    }),
  ).catch((error: unknown) => {
    deadline.dispose();
    if (!deadline.expired || signal?.aborted) throw error;
    throw new DirectConnectionTimeoutError(
      `Central Management did not open a connection to ${deploymentId} within ${timeoutMs} ms`,
      { cause: error },
    );
  });
  const id = opened.connId;
  if (!id) {
    deadline.dispose();
    throw new DirectConnectionError("Central Management opened a connection without an id", {
      status: opened.status,
    });
  }
  let status = opened.status ?? "REQUESTING";
  let closed = false;

  const refresh = async (within: AbortSignal | undefined = signal) => {
    const current = await unwrap(
      cm.GET("/fusion/console/services/connection/{connectionId}", {
        params: { path: { connectionId: id } },
        signal: within,
      }),
    );
    status = current.status ?? status;
    return status;
  };
  const close = async () => {
    if (closed) return;
    closed = true;
    const { response } = await cm.DELETE("/fusion/console/services/connection/{connectionId}", {
      params: { path: { connectionId: id } },
    });
    status = "DISCONNECTED";
    // 400 means Central Management no longer knows it: closed either way.
    if (!response.ok && response.status !== 400) {
      throw new DirectConnectionError(
        `closing connection ${id} failed with HTTP ${response.status}`,
        { connectionId: id, status },
      );
    }
  };

  const timedOut = (cause?: unknown) =>
    new DirectConnectionTimeoutError(
      `connection ${id} to ${deploymentId} was not CONNECTED within ${timeoutMs} ms (last status ${status})`,
      { connectionId: id, status, cause },
    );
  try {
    for (
      let delay = options.pollIntervalMs ?? 100;
      status !== "CONNECTED";
      delay = Math.min(2_000, delay * 2)
    ) {
      if (status === "FAILED" || status === "DISCONNECTED") {
        throw new DirectConnectionError(`connection ${id} to ${deploymentId} is ${status}`, {
          connectionId: id,
          status,
        });
      }
      if (!deadline.allows(delay)) throw timedOut();
      await sleep(delay, deadline.signal);
      await refresh(deadline.signal);
    }
  } catch (error) {
    await close().catch(() => {});
    if (deadline.expired && !signal?.aborted && !(error instanceof DirectConnectionError)) {
      throw timedOut(error);
    }
    throw error;
  } finally {
    deadline.dispose();
  }

  const fetch = createTunnelFetch(cm, () => {
    if (closed)
      throw new DirectConnectionError(`connection ${id} is closed`, { connectionId: id, status });
    return id;
  });
  return {
    id,
    get status() {
      return status;
    },
    deploymentId,
    baseUrl: `http://${productType}.direct-connection`,
    fetch,
    refresh: () => refresh(),
    close,
    [Symbol.asyncDispose]: close,
  };
}

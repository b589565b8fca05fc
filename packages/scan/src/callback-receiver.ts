import { openReceiver } from "./internal/callback-handler.js";
/**
 * How a submission's wait for its callback ended: `called` (a callback with
 * its token came; the result is then confirmed with one poll), `refused` (a
 * callback with its token came with a body about another submission or no
 * JSON object), `closed` (the receiver closed first).
 */
export type CallbackOutcome = "called" | "refused" | "closed";

/** One submission's place on a receiver: the URL the gateway calls, and the wait for that call. */
export interface CallbackSubscription extends Disposable {
  /** The callback URL to send as `callbackurl`: the receiver's public URL and an unguessable token. */
  readonly url: string;
  /** Settles once with how the wait ended; never rejects. */
  readonly outcome: Promise<CallbackOutcome>;
  /** Ties the subscription to the `data_id` the upload returned: a callback naming another is refused. */
  bind(dataId: string): void;
  /** Tells the receiver the callback did not come in time (it counts towards "unreachable"). */
  late(): void;
  /** Forgets the token: a later callback with it is answered 404. Idempotent. */
  dispose(): void;
}

/** How long a scan waits for its callback before polling takes over. Times in ms. */
export interface CallbackPatience {
  /**
   * How long after the expected end of the analysis a callback may lag
   * before the first poll; the file keeps its place on the gateway until its
   * result is in, so this is also what a lost callback costs. Default 1,000.
   */
  graceMs: number;
  /** Interval of the slow polls that run while a late callback may still come. Default 5,000. */
  slowPollIntervalMs: number;
  /** Slow polls before polling at the normal, adaptive rate. Default 3. */
  slowPolls: number;
}

/** What a receiver has seen since it started. */
export interface CallbackStats {
  /** Callbacks that matched a waiting submission. */
  accepted: number;
  /** Callbacks for a submission already called back (answered, otherwise ignored). */
  duplicates: number;
  /** Requests refused without reading their body: no such token, wrong path or method. */
  unknown: number;
  /** Callbacks with a known token but a body that is too large, too slow, not JSON or about another submission. */
  rejected: number;
  /** Submissions waiting for their callback now. */
  outstanding: number;
}

/**
 * Receives the gateway's callbacks (the `callbackurl` of `POST /file`) and
 * hands each to the scan waiting for it. `scanFile` and `scanFiles` take one
 * as `callbacks`. The receiver only ever wakes a waiting scan up: the verdict
 * always comes from one `GET /file/{data_id}` to the gateway, never from a
 * callback's body, so a forged callback costs at most one request.
 */
export interface CallbackReceiver extends AsyncDisposable {
  /** The public base URL; each submission's callback URL is this plus `/<token>`. */
  readonly url: string;
  /**
   * The receiver as a Web-standard handler, for any server framework (Hono,
   * Deno, Bun, a worker): answers `POST <path>/<token>` and 404 to anything else.
   */
  fetch(request: Request): Promise<Response>;
  /** A callback URL for one submission, or `undefined` when closed or `maxOutstanding` are waiting (the scan then polls). */
  subscribe(): CallbackSubscription | undefined;
  /**
   * `false` once `unreachableAfterMisses` callbacks in a row did not come
   * (the gateway seems unable to reach the receiver): scans then poll at the
   * normal rate from the start, until a callback comes again.
   */
  readonly reachable: boolean;
  /** How long scans wait for a callback before polling takes over. */
  readonly patience: Readonly<CallbackPatience>;
  /** Counters since the start. */
  readonly stats: Readonly<CallbackStats>;
  /** Stops accepting callbacks; every waiting scan goes back to polling. Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link createCallbackHandler}. Sizes in bytes, times in ms. */
export interface CallbackHandlerOptions {
  /**
   * The base URL at which the gateway reaches the receiver, e.g.
   * `https://hooks.example.com/mdkit-callbacks` behind a proxy. Plain
   * `http(s)` only: no credentials, query or fragment, and no registered
   * secret (callback URLs travel in clear through the gateway's logs).
   */
  publicUrl: string;
  /**
   * The path prefix of callback requests as the receiver sees them, when a
   * proxy rewrites it. Default: the path of `publicUrl`.
   */
  path?: string | undefined;
  /** Largest callback body read, in bytes; a larger one is answered 413. Default 1,048,576 (1 MiB). */
  maxBodyBytes?: number | undefined;
  /** Time allowed to receive a callback body, in ms; a slower one is answered 408. Default 10,000. */
  bodyTimeoutMs?: number | undefined;
  /** Submissions waiting at once; beyond it a scan polls instead. Default 10,000. */
  maxOutstanding?: number | undefined;
  /** Callback bodies being read at once; beyond it callbacks are answered 503. Default 64. */
  maxConcurrentBodies?: number | undefined;
  /** Missed callbacks in a row after which the receiver counts as unreachable. Default 3. */
  unreachableAfterMisses?: number | undefined;
  /** How long scans wait for a callback before polling (see {@link CallbackPatience} for the defaults). */
  patience?: Partial<CallbackPatience> | undefined;
}

/**
 * Creates a callback receiver as a plain `fetch` handler, for any runtime or
 * server framework: mount `receiver.fetch` at the path of `publicUrl`. On
 * Node, `createCallbackReceiver` from `@mdkit/scan/node` also listens.
 *
 * Only a `POST` to an outstanding submission's URL with a JSON body of at
 * most `maxBodyBytes`, received within `bodyTimeoutMs`, wakes its scan up;
 * the token is checked before any byte of the body is read.
 *
 * @throws {CallbackReceiverError} when `publicUrl` is not a plain http(s) URL.
 *
 * @example
 * ```ts
 * import { createCallbackHandler, scanFile } from "@mdkit/scan";
 *
 * const callbacks = createCallbackHandler({ publicUrl: "https://hooks.example.com/mdkit" });
 * // e.g. with Hono: app.post("/mdkit/:token", (c) => callbacks.fetch(c.req.raw));
 * const result = await scanFile(cluster, file, { callbacks });
 * ```
 */
export function createCallbackHandler(options: CallbackHandlerOptions): CallbackReceiver {
  return openReceiver(options).receiver;
}

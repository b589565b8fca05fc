import { Hono } from "hono";
import type { ClusterControl } from "./cluster/control.js";
import { createClusterApi } from "./cluster/index.js";
import type { CentralManagementControl } from "./cm/control.js";
import { createCentralManagementApi } from "./cm/index.js";
import { ConnectionReset, countResponse, createContext, type SimEnv } from "./context.js";
import { FaultController } from "./faults.js";
import { type ListenOptions, type SimulatorServer, serveHttp } from "./http.js";
import { createRandom } from "./internal/random.js";
import { type ResolvedOptions, resolveOptions, type SimulatorOptions } from "./options.js";
import { SimulatorState } from "./state.js";

/** A running simulator of both APIs. */
export interface Simulator extends AsyncDisposable {
  /**
   * The Web-standard handler of both APIs, usable in-process as a client's
   * `fetch` (no sockets). A simulated connection reset rejects with a
   * `TypeError`, as `fetch` does.
   */
  fetch(request: Request): Promise<Response>;
  /** Serves the simulator over HTTP on loopback (a free port unless given). */
  listen(options?: ListenOptions): Promise<SimulatorServer>;
  /** Stops every server it started and deletes its temporary files. */
  close(): Promise<void>;
  /** Counters: requests per operation, uploads per content hash, bytes, peak concurrency. */
  state: SimulatorState;
  /** Fault rules, changeable while running. */
  faults: FaultController;
  /** Controls and inspection of the simulated Cluster gateway. */
  cluster: ClusterControl;
  /** Controls and inspection of the simulated Central Management. */
  cm: CentralManagementControl;
  /** The options in force, defaults filled in. */
  options: ResolvedOptions;
}

/**
 * Creates a stateful simulator of the MetaDefender Distributed Cluster API
 * Gateway and My OPSWAT Central Management. Deterministic for a given `seed`.
 *
 * @example
 * ```ts
 * import { createSimulator } from "@mdkit/simulator";
 * import { createClusterClient } from "@mdkit/cluster";
 *
 * await using sim = createSimulator({ cluster: { scanDurationMs: 50 } });
 * const cluster = createClusterClient({ baseUrl: "http://sim.local", fetch: sim.fetch });
 * ```
 */
export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const resolved = resolveOptions(options);
  const state = new SimulatorState();
  const random = createRandom(resolved.seed);
  const faults = new FaultController(options.faults ?? {}, createRandom(resolved.seed ^ 0x5eed));
  const ctx = createContext(resolved, state, random, faults);
  const resets = new WeakSet<Response>();

  const cluster = createClusterApi(ctx);
  const cm = createCentralManagementApi(ctx, {
    coreFetch: (request) => cluster.app.fetch(request),
  });

  const build = (parts: Array<Hono<SimEnv>>) => {
    const app = new Hono<SimEnv>();
    for (const part of parts) app.route("/", part);
    app.notFound((c) => c.json({ err: "Requests resource was not found." }, 404));
    app.onError((error, c) => {
      if (error instanceof ConnectionReset) {
        c.env?.incoming?.socket.destroy();
        const response = new Response(null, { status: 500 });
        resets.add(response);
        return response;
      }
      return c.json({ err: "Unexpected event on server" }, 500);
    });
    // Every answer is counted here, once, rather than by a middleware
    // that the framework would chain in front of every route.
    const tally = (response: Response) => {
      countResponse(state, response.status);
      return response;
    };
    return (request: Request, env: SimEnv["Bindings"]): Response | Promise<Response> => {
      const answer = app.fetch(request, env);
      return answer instanceof Promise ? answer.then(tally) : tally(answer);
    };
  };
  const apps = {
    all: build([cluster.app, cm.app]),
    cluster: build([cluster.app]),
    cm: build([cm.app]),
  };
  const servers = new Set<SimulatorServer>();

  async function fetch(request: Request): Promise<Response> {
    const { signal } = request;
    signal.throwIfAborted();
    // Behave like a real `fetch` on abort: reject at once and cancel the
    // request body, so a caller's stream stops being read. The copy is made
    // from the URL, not from `request`, so that no signal is linked to it.
    const guarded = request.body
      ? new Request(request.url, {
          method: request.method,
          headers: request.headers,
          body: request.body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>(), { signal }),
          duplex: "half",
        } as RequestInit)
      : request;
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
    });
    aborted.catch(() => {});
    let response: Response;
    try {
      response = await Promise.race([apps.all(guarded, {}), aborted]);
    } finally {
      if (onAbort) signal.removeEventListener("abort", onAbort);
    }
    if (resets.has(response)) {
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
      });
    }
    return response;
  }

  async function close() {
    await Promise.all([...servers].map((s) => s.close()));
    servers.clear();
    await ctx.close();
  }

  return {
    fetch,
    async listen(listenOptions = {}) {
      const app = apps[listenOptions.api ?? "all"];
      const server = await serveHttp(
        (request, env) => app(request, env as SimEnv["Bindings"]),
        listenOptions,
      );
      const tracked: SimulatorServer = {
        ...server,
        close: async () => {
          servers.delete(tracked);
          await server.close();
        },
      };
      servers.add(tracked);
      return tracked;
    },
    close,
    [Symbol.asyncDispose]: close,
    state,
    faults,
    cluster: cluster.control,
    cm: cm.control,
    options: resolved,
  };
}

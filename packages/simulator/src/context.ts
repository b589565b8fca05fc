import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HttpBindings } from "@hono/node-server";
import type { Context, Hono, MiddlewareHandler } from "hono";
import type { FaultController } from "./faults.js";
import type { Random } from "./internal/random.js";
import type { ResolvedOptions } from "./options.js";
import type { SimulatorState } from "./state.js";

/** Hono environment of the simulator's apps. `incoming` is absent in-process. */
export interface SimEnv {
  Bindings: Partial<HttpBindings>;
  Variables: { operationId: string };
}

/** A Hono app of the simulator. */
export type SimApp = Hono<SimEnv>;
/** A request context of the simulator. */
export type SimContext = Context<SimEnv>;

/** Shared by both simulated APIs: options, counters, randomness, faults, temp files. */
export interface SimulatorContext {
  options: ResolvedOptions;
  state: SimulatorState;
  /** The run's seeded generator (ids, fault draws). */
  random: Random;
  faults: FaultController;
  /** Current time in ms (the injectable clock). */
  now(): number;
  /** A private temporary directory, created on first use and removed by `close()`. */
  tempDir(): Promise<string>;
  /** Registers clean-up work for `close()`. */
  onClose(task: () => void | Promise<void>): void;
}

/** Creates the shared context; `close()` runs every clean-up task. */
export function createContext(
  options: ResolvedOptions,
  state: SimulatorState,
  random: Random,
  faults: FaultController,
): SimulatorContext & { close(): Promise<void> } {
  const tasks: Array<() => void | Promise<void>> = [];
  let dir: Promise<string> | undefined;
  return {
    options,
    state,
    random,
    faults,
    now: options.now,
    tempDir() {
      dir ??= mkdtemp(join(tmpdir(), "mdkit-simulator-")).then((path) => {
        tasks.push(() => rm(path, { recursive: true, force: true }));
        return path;
      });
      return dir;
    },
    onClose(task) {
      tasks.push(task);
    },
    async close() {
      for (const task of tasks.splice(0).reverse()) await task();
    },
  };
}

/**
 * Thrown (or returned by the fault layer) to make the transport fail as if
 * the connection was reset: over HTTP the socket is destroyed; in-process
 * the simulator's `fetch` rejects with a `TypeError`, as `fetch` does.
 */
export class ConnectionReset extends Error {
  constructor() {
    super("connection reset by the simulator");
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads and drops up to `limit` bytes of the request body (a reset "mid-request"). */
async function readSome(c: SimContext, limit: number) {
  const reader = c.req.raw.body?.getReader();
  if (!reader) return;
  let read = 0;
  while (read < limit) {
    const { value, done } = await reader.read();
    if (done) break;
    read += value.byteLength;
  }
  await reader.cancel().catch(() => {});
}

/**
 * Middleware put in front of every route: names the operation, counts the
 * request, applies the operation's faults and tracks requests in flight.
 */
export function instrument(ctx: SimulatorContext, operationId: string): MiddlewareHandler<SimEnv> {
  return async (c, next) => {
    c.set("operationId", operationId);
    const { state } = ctx;
    state.requests.set(operationId, state.requestCount(operationId) + 1);
    state.inFlight++;
    state.peakInFlight = Math.max(state.peakInFlight, state.inFlight);
    try {
      const fault = ctx.faults.decide(operationId);
      if (fault.latencyMs > 0) await sleep(fault.latencyMs);
      if (fault.kind === "reset") {
        await readSome(c, 64 * 1024);
        throw new ConnectionReset();
      }
      if (fault.kind === "status") {
        const headers: Record<string, string> = {};
        if (fault.retryAfterSeconds !== undefined)
          headers["Retry-After"] = String(fault.retryAfterSeconds);
        const message =
          fault.status === 503
            ? "Server is too busy. Try again later."
            : fault.status === 429
              ? "Too many requests"
              : "Unexpected event on server";
        c.res = c.json({ err: message }, fault.status, headers);
        return;
      }
      await next();
      if (fault.truncate && c.res.headers.get("content-type")?.includes("json")) {
        const text = await c.res.text();
        c.res = new Response(text.slice(0, Math.floor(text.length / 2)), {
          status: c.res.status,
          headers: { "content-type": "application/json" },
        });
      }
    } finally {
      state.inFlight--;
    }
  };
}

/** HTTP methods the routes use. */
export type RouteMethod = "GET" | "POST" | "DELETE";

/**
 * Registers one operation: `route(app, ctx, "GET", "/file/:data_id", "getAnalysisResult", handler)`.
 * Register literal paths (`/file/rules`) before parameterised ones (`/file/:data_id`).
 */
export function route(
  app: SimApp,
  ctx: SimulatorContext,
  method: RouteMethod,
  path: string,
  operationId: string,
  handler: (c: SimContext) => Response | Promise<Response>,
): void {
  app.on(method, path, instrument(ctx, operationId), handler);
}

/** Counts a response by status (called once per response by the simulator). */
export function countResponse(state: SimulatorState, status: number): void {
  state.responsesByStatus.set(status, (state.responsesByStatus.get(status) ?? 0) + 1);
}

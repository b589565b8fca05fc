import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HttpBindings } from "@hono/node-server";
import type { Context, Hono } from "hono";
import type { FaultController, FaultDecision } from "./faults.js";
import { discardBody, forEachChunk } from "./internal/body-chunks.js";
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

const RESET_AFTER = Symbol("reset after part of the body");

/** Reads and drops up to `limit` bytes of the request body (a reset "mid-request"). */
async function readSome(c: SimContext, limit: number) {
  let read = 0;
  await forEachChunk(c, (chunk) => {
    read += chunk.byteLength;
    if (read >= limit) throw RESET_AFTER;
  }).catch((error: unknown) => {
    if (error !== RESET_AFTER) throw error;
  });
  await discardBody(c);
}

/** The answer of a status fault: the gateway's error body, `Retry-After` for 429 and 503. */
function faultAnswer(c: SimContext, fault: Extract<FaultDecision, { kind: "status" }>): Response {
  const headers: Record<string, string> = {};
  if (fault.retryAfterSeconds !== undefined)
    headers["Retry-After"] = String(fault.retryAfterSeconds);
  const message =
    fault.status === 503
      ? "Server is too busy. Try again later."
      : fault.status === 429
        ? "Too many requests"
        : "Unexpected event on server";
  return c.json({ err: message }, fault.status, headers);
}

/**
 * A JSON answer cut in half; other answers as they are. The cut answer is
 * set on the context, whose setter keeps the status and the other headers
 * of the answer it replaces.
 */
async function truncated(c: SimContext, response: Response): Promise<Response> {
  c.res = response;
  if (!c.res.headers.get("content-type")?.includes("json")) return c.res;
  const text = await c.res.text();
  c.res = new Response(text.slice(0, Math.floor(text.length / 2)), {
    status: c.res.status,
    headers: { "content-type": "application/json" },
  });
  return c.res;
}

/** A route's handler. */
export type RouteHandler = (c: SimContext) => Response | Promise<Response>;

/**
 * Wraps the handler of every route: names the operation, counts the
 * request, applies the operation's faults and tracks requests in flight.
 * One function per route rather than a middleware in front of it, so that
 * the framework calls it directly instead of composing a chain per request.
 */
export function instrument(
  ctx: SimulatorContext,
  operationId: string,
  handler: RouteHandler,
): (c: SimContext) => Promise<Response> {
  return async (c) => {
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
      if (fault.kind === "status") return faultAnswer(c, fault);
      const response = await handler(c);
      return fault.truncate ? await truncated(c, response) : response;
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
  handler: RouteHandler,
): void {
  app.on(method, path, instrument(ctx, operationId, handler));
}

/** Counts a response by status (called once per response by the simulator). */
export function countResponse(state: SimulatorState, status: number): void {
  state.responsesByStatus.set(status, (state.responsesByStatus.get(status) ?? 0) + 1);
}

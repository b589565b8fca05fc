import { Hono } from "hono";
import { route, type SimApp, type SimEnv, type SimulatorContext } from "../context.js";

/** Controls and inspection of the simulated Cluster gateway. */
export interface ClusterControl {
  /** Invalidates every login session (the next call with one gets 401). */
  expireSessions(): void;
}

/** Builds the Cluster gateway routes. PLACEHOLDER: login only. */
export function createClusterApi(ctx: SimulatorContext): { app: SimApp; control: ClusterControl } {
  const app = new Hono<SimEnv>();
  route(app, ctx, "POST", "/login", "login", async (c) =>
    c.json({ session_id: ctx.random.hex(32) }),
  );
  return { app, control: { expireSessions() {} } };
}

import { Hono } from "hono";
import type { SimApp, SimEnv, SimulatorContext } from "../context.js";

/** Controls and inspection of the simulated Central Management. */
export interface CentralManagementControl {
  /** Expires every access token (the next call with one gets 401). */
  expireTokens(): void;
}

/** What Central Management needs from the rest of the simulator. */
export interface CentralManagementDeps {
  /** The embedded MetaDefender Core that direct connections tunnel to. */
  coreFetch(request: Request): Response | Promise<Response>;
}

/** Builds the Central Management routes. PLACEHOLDER. */
export function createCentralManagementApi(
  _ctx: SimulatorContext,
  _deps: CentralManagementDeps,
): { app: SimApp; control: CentralManagementControl } {
  return { app: new Hono<SimEnv>(), control: { expireTokens() {} } };
}

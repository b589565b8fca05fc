import { Hono } from "hono";
import type { SimApp, SimEnv, SimulatorContext } from "../context.js";
import { registerConnectionRoutes } from "./connections/routes.js";
import type { CentralManagementControl } from "./control.js";
import { registerCoreInstanceRoutes } from "./core/instances-route.js";
import { registerInventoryRoute } from "./inventory-route.js";
import { registerKioskConfigurationRoute } from "./kiosk/configuration.js";
import { registerKioskDeviceRoutes } from "./kiosk/devices-routes.js";
import { registerKioskOverviewRoute } from "./kiosk/overview-route.js";
import { registerKioskSessionRoute } from "./kiosk/session-route.js";
import { registerTokenRoute } from "./oauth/token-route.js";
import { registerCoreReportRoutes } from "./reports/core-routes.js";
import { registerMddReportRoutes } from "./reports/mdd-routes.js";
import { registerPmpReportRoutes } from "./reports/pmp-routes.js";
import { createServices } from "./services.js";

export type {
  CentralManagementControl,
  ConnectionState,
  DirectConnectionInfo,
  KioskConfigurationUpdate,
} from "./control.js";

/** What Central Management needs from the rest of the simulator. */
export interface CentralManagementDeps {
  /** The embedded MetaDefender Core that direct connections tunnel to. */
  coreFetch(request: Request): Response | Promise<Response>;
}

/**
 * Builds the simulated My OPSWAT Central Management: OAuth client
 * credentials with expiring tokens, direct connections tunnelling to the
 * embedded Core, seeded report data generated lazily and paged by cursor,
 * streamed report details, inventory, Kiosks, and per-client rate limits.
 */
export function createCentralManagementApi(
  ctx: SimulatorContext,
  deps: CentralManagementDeps,
): { app: SimApp; control: CentralManagementControl } {
  const services = createServices(ctx, (request) => deps.coreFetch(request));
  const app = new Hono<SimEnv>();
  registerTokenRoute(app, services);
  registerConnectionRoutes(app, services);
  registerPmpReportRoutes(app, services);
  registerKioskConfigurationRoute(app, services);
  registerMddReportRoutes(app, services);
  registerCoreInstanceRoutes(app, services);
  registerCoreReportRoutes(app, services);
  registerInventoryRoute(app, services);
  registerKioskOverviewRoute(app, services);
  registerKioskSessionRoute(app, services);
  registerKioskDeviceRoutes(app, services);

  const control: CentralManagementControl = {
    expireTokens: () => services.tokens.expireAll(),
    revokeClient: (clientId) => services.tokens.revoke(clientId),
    restoreClient: (clientId) => services.tokens.restore(clientId),
    get activeTokens() {
      return services.tokens.activeCount();
    },
    get connections() {
      return services.connections.list();
    },
    failConnection: (connId) => services.connections.fail(connId),
    get kioskConfigurationUpdates() {
      return services.kioskConfigurations.updates;
    },
    get detailRecordsStreamed() {
      return services.stats.detailRecordsStreamed;
    },
  };
  return { app, control };
}

import type { SimulatorContext } from "../context.js";
import { ConnectionStore } from "./connections/store.js";
import { CoreReports } from "./data/core-reports.js";
import { createFleet, type Fleet } from "./data/fleet.js";
import { MddReports } from "./data/mdd.js";
import { PmpReports } from "./data/pmp.js";
import { KioskConfigurations } from "./kiosk/configuration.js";
import { TokenStore } from "./oauth/token-store.js";
import { RateLimiter } from "./rate-limiter.js";

/** Counters of the simulated Central Management itself. */
export interface CmStats {
  /** Report detail records written to response streams so far. */
  detailRecordsStreamed: number;
}

/** Everything the Central Management routes share: state, data and the embedded product. */
export interface CmServices {
  ctx: SimulatorContext;
  tokens: TokenStore;
  limiter: RateLimiter;
  connections: ConnectionStore;
  kioskConfigurations: KioskConfigurations;
  fleet: Fleet;
  pmp: PmpReports;
  mdd: MddReports;
  core: CoreReports;
  stats: CmStats;
  /** The product behind direct connections. */
  coreFetch(request: Request): Response | Promise<Response>;
}

/** Creates the state and the lazily generated data of one simulated Central Management. */
export function createServices(
  ctx: SimulatorContext,
  coreFetch: CmServices["coreFetch"],
): CmServices {
  const { seed } = ctx.options;
  const cm = ctx.options.cm;
  const { volumes } = cm;
  const fleet = createFleet(seed, cm);
  return {
    ctx,
    tokens: new TokenStore(ctx),
    limiter: new RateLimiter(cm.rateLimit, () => ctx.now(), ctx.state),
    connections: new ConnectionStore(ctx),
    kioskConfigurations: new KioskConfigurations(),
    fleet,
    pmp: new PmpReports(
      seed,
      fleet,
      volumes.pmpReports,
      volumes.detailsPerReport,
      cm.dataEndsAt,
      cm.dataSpanMs,
    ),
    mdd: new MddReports(
      seed,
      fleet,
      volumes.mddReports,
      volumes.detailsPerReport,
      cm.dataEndsAt,
      cm.dataSpanMs,
    ),
    core: new CoreReports(seed, fleet, volumes.coreReports, cm.dataEndsAt, cm.dataSpanMs),
    stats: { detailRecordsStreamed: 0 },
    coreFetch,
  };
}

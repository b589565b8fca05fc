import type { SimApp } from "../context.js";
import type { Fleet } from "./data/fleet.js";
import type { HealthStatus } from "./data/records.js";
import { DAY_MS } from "./data/timeline.js";
import { securedOperation } from "./operation.js";
import { optionalObject, optionalStrings, readJsonObject } from "./request-body.js";
import type { CmServices } from "./services.js";

const PRODUCTS = {
  MDCORE: "MetaDefender Core",
  MDICAP: "MetaDefender ICAP Server",
  KIOSK: "MetaDefender Kiosk K-Series",
  MK5: "MetaDefender Kiosk L-Series",
  MDD: "MetaDefender Drive",
} as const;

type ProductType = keyof typeof PRODUCTS;

/** What the inventory counts about one instance or device. */
interface Unit {
  connectivity: "connected" | "disconnected" | "nolicense";
  health: HealthStatus;
  version: string;
  /** Licence expiry (ms); 0 when unlicensed. */
  licenseExpiration: number;
}

/** The units of each product type, from the same fleet the other operations show. */
function unitsOf(fleet: Fleet, type: ProductType, at: number): Unit[] {
  switch (type) {
    case "MDCORE":
      return fleet.coreInstances.map((i) => ({
        connectivity: i.status,
        health: i.health_status,
        version: i.version,
        licenseExpiration: i.license.expiration,
      }));
    case "KIOSK":
    case "MK5":
      return fleet.kiosks
        .filter((k) => k.productType === type)
        .map((k) => ({
          connectivity: k.connectivity,
          health: k.healthStatus,
          version: k.properties.kioskVersion,
          licenseExpiration: k.licenseExpiration,
        }));
    case "MDICAP":
      return fleet.icapDeployments.map(() => ({
        connectivity: "connected",
        health: "operational",
        version: fleet.latestVersion.MDICAP,
        licenseExpiration: at + 200 * DAY_MS,
      }));
    case "MDD":
      return fleet.drives.map(() => ({
        connectivity: "connected",
        health: "operational",
        version: fleet.latestVersion.MDD,
        licenseExpiration: at + 300 * DAY_MS,
      }));
  }
}

function inventoryOf(fleet: Fleet, type: ProductType, at: number) {
  const units = unitsOf(fleet, type, at);
  const count = (test: (u: Unit) => boolean) => units.filter(test).length;
  const versions = new Map<string, number>();
  for (const u of units) versions.set(u.version, (versions.get(u.version) ?? 0) + 1);
  const licensed = (u: Unit) => u.licenseExpiration > 0;
  const left = (u: Unit) => u.licenseExpiration - at;
  return {
    productName: PRODUCTS[type],
    productType: type,
    totalInstances: units.length,
    connectivity: {
      connected: count((u) => u.connectivity === "connected"),
      nolicense: count((u) => u.connectivity === "nolicense"),
      disconnected: count((u) => u.connectivity === "disconnected"),
    },
    health: {
      operational: count((u) => u.health === "operational"),
      minorIssues: count((u) => u.health === "minorIssues"),
      criticalIssues: count((u) => u.health === "criticalIssues"),
      unknown: count((u) => u.health === "unknown"),
      significantIssues: count((u) => u.health === "significantIssues"),
      blockerIssues: count((u) => u.health === "blockerIssues"),
    },
    version: [...versions]
      .sort(([a], [b]) => b.localeCompare(a, "en", { numeric: true }))
      .map(([value, total]) => ({
        value,
        total,
        status: value === fleet.latestVersion[type] ? "latest" : "outdated",
      })),
    license: {
      expiredIn30Days: count((u) => licensed(u) && left(u) >= 0 && left(u) <= 30 * DAY_MS),
      expiredIn90Days: count((u) => licensed(u) && left(u) > 30 * DAY_MS && left(u) <= 90 * DAY_MS),
      expiredIn90PlusDays: count((u) => licensed(u) && left(u) > 90 * DAY_MS),
      expired: count((u) => licensed(u) && left(u) < 0),
      nolicense: count((u) => !licensed(u)),
    },
  };
}

/** `getAccountInventory`: one entry per product type (or those of `filters.productTypes`). */
export function registerInventoryRoute(app: SimApp, services: CmServices): void {
  securedOperation(
    app,
    services,
    "POST",
    "/o/fusion/v1/account/inventory",
    "getAccountInventory",
    async (c) => {
      const body = await readJsonObject(c);
      const wanted = optionalStrings(optionalObject(body, "filters"), "productTypes", [
        ...Object.keys(PRODUCTS),
      ]);
      const types = (Object.keys(PRODUCTS) as ProductType[]).filter(
        (t) => !wanted || wanted.includes(t),
      );
      const at = services.ctx.options.cm.dataEndsAt;
      return c.json(types.map((t) => inventoryOf(services.fleet, t, at)));
    },
  );
}

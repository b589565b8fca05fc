import type { SimApp } from "../../context.js";
import type { KioskConfigurationUpdate } from "../control.js";
import type { KioskDevice } from "../data/records.js";
import { badRequest } from "../errors.js";
import { securedOperation } from "../operation.js";
import {
  optionalObject,
  optionalStrings,
  readJsonObject,
  requiredString,
} from "../request-body.js";
import type { CmServices } from "../services.js";

/** How long after an update a Kiosk checks in and applies it (simulator clock). */
export const KIOSK_CHECK_IN_MS = 60_000;

/**
 * Configuration updates pushed to Kiosks. A targeted Kiosk reports
 * `pending` until it checks in ({@link KIOSK_CHECK_IN_MS} later), then
 * `applied` with that check-in as `lastFetched`.
 */
export class KioskConfigurations {
  readonly updates: KioskConfigurationUpdate[] = [];
  private readonly lastUpdateOf = new Map<string, number>();

  /** Records an update. */
  record(update: KioskConfigurationUpdate): void {
    this.updates.push(update);
    for (const id of update.deviceIds) this.lastUpdateOf.set(id, update.at);
  }

  /** The configuration status a device reports at `now`. */
  statusOf(device: KioskDevice, now: number): { status: string; lastFetched: number } {
    const at = this.lastUpdateOf.get(device.deviceId);
    if (at === undefined) return device.configurationStatus;
    if (now < at + KIOSK_CHECK_IN_MS) {
      return { status: "pending", lastFetched: device.configurationStatus.lastFetched };
    }
    return { status: "applied", lastFetched: at + KIOSK_CHECK_IN_MS };
  }
}

const MODES = ["append", "overwrite"];

function readMode(body: Record<string, unknown>, name: string) {
  const mode = optionalObject(body, name);
  if (mode?.type !== undefined && !MODES.includes(mode.type as string)) {
    throw badRequest(`${name}.type must be append or overwrite`);
  }
  return mode;
}

/** `updateKioskConfiguration`: `total_applied` is the number of Kiosks targeted. */
export function registerKioskConfigurationRoute(app: SimApp, services: CmServices): void {
  securedOperation(
    app,
    services,
    "POST",
    "/o/pmp/v1/kiosk/configuration",
    "updateKioskConfiguration",
    async (c, caller) => {
      const body = await readJsonObject(c);
      const applyType = requiredString(body, "apply_type");
      if (applyType !== "all" && applyType !== "instances") {
        throw badRequest("apply_type must be all or instances");
      }
      const applyTo = optionalStrings(body, "apply_to");
      if (applyType === "instances" && !applyTo) {
        throw badRequest("apply_to must list the instances when apply_type is instances");
      }
      const yaraSources = readMode(body, "yara_sources");
      const skipByHash = readMode(body, "skip_by_hash");
      const known = services.fleet.kiosks.map((k) => k.deviceId);
      const deviceIds =
        applyType === "all" ? known : known.filter((id) => applyTo?.includes(id) ?? false);
      services.kioskConfigurations.record({
        at: services.ctx.now(),
        applyType,
        deviceIds,
        yaraSources,
        skipByHash,
        clientId: caller.clientId,
      });
      return c.json({ total_applied: deviceIds.length });
    },
  );
}

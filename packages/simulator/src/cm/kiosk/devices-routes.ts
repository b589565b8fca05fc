import type { SimApp } from "../../context.js";
import type { PmpReports } from "../data/pmp.js";
import type { KioskDevice } from "../data/records.js";
import { forEachSampled } from "../data/sample.js";
import { notFound } from "../errors.js";
import { securedOperation } from "../operation.js";
import type { CmServices } from "../services.js";

/** The device as `getKioskDevice` sends it (without what only the inventory counts). */
function detailOf(device: KioskDevice, configurationStatus: KioskDevice["configurationStatus"]) {
  const { connectivity: _c, licenseExpiration: _l, username: _u, ...detail } = device;
  return { ...detail, configurationStatus };
}

/** The row `listKioskDevices` sends (the document's own field casing). */
function summaryOf(
  device: KioskDevice,
  scanSessions: number,
  configurationStatus: KioskDevice["configurationStatus"],
) {
  return {
    deviceID: device.deviceId,
    deviceName: device.deviceName,
    modelID: device.modelId,
    HardwareVersionID: device.hardwareVersionId,
    deviceType: device.deviceType,
    productType: device.productType,
    os: device.properties.osInfo,
    username: device.username,
    groupName: device.groupName,
    location: device.location,
    version: device.properties.kioskVersion,
    localIP: device.properties.network[0]?.ipv4 ?? "",
    lastSeen: device.lastSeen,
    isRequired: device.isRequired,
    healthStatus: device.healthStatus,
    statusMessages: device.statusMessages,
    productStatus: device.connectivity === "connected" ? "active" : "inactive",
    scanSession: scanSessions,
    tags: device.tags,
    configurationStatus,
    hardwareName: `MetaDefender Kiosk ${device.modelId}`,
    hardenedImageVersion: device.properties.hardenedImageVersion,
    hardwareModel: device.properties.hardware.model,
    hardwareSerialNumber: device.properties.hardware.serialNumber,
    coreName: device.coreInfo.coreName,
    biosVersion: device.properties.biosVersion,
  };
}

/** Scan sessions (PMP reports) of each device over all the data; counted once, on first use. */
function sessionCounter(pmp: PmpReports) {
  let counts: Map<string, number> | undefined;
  return (deviceId: string) => {
    if (!counts) {
      const tally = new Map<string, number>();
      forEachSampled(0, pmp.timeline.count, (i, weight) => {
        const id = pmp.at(i).device_id;
        tally.set(id, (tally.get(id) ?? 0) + weight);
      });
      counts = tally;
    }
    return counts.get(deviceId) ?? 0;
  };
}

/** `listKioskDevices` and `getKioskDevice`. */
export function registerKioskDeviceRoutes(app: SimApp, services: CmServices): void {
  const sessions = sessionCounter(services.pmp);
  const status = (device: KioskDevice) =>
    services.kioskConfigurations.statusOf(device, services.ctx.now());

  securedOperation(app, services, "GET", "/o/pmp/v1/kiosk/devices", "listKioskDevices", (c) => {
    const items = services.fleet.kiosks.map((d) => summaryOf(d, sessions(d.deviceId), status(d)));
    return c.json({ total: items.length, items });
  });

  securedOperation(
    app,
    services,
    "GET",
    "/o/pmp/v1/kiosk/devices/:deviceId",
    "getKioskDevice",
    (c) => {
      const deviceId = c.req.param("deviceId") ?? "";
      const device = services.fleet.kiosks.find((d) => d.deviceId === deviceId);
      if (!device) throw notFound("Device not found");
      return c.json(detailOf(device, status(device)));
    },
  );
}

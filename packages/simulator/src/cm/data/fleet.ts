import { type Random, randomFor } from "../../internal/random.js";
import type { ResolvedOptions } from "../../options.js";
import { objectId, uuid } from "./ids.js";
import type { CoreInstance, HealthStatus, KioskDevice, ReportingDevice } from "./records.js";
import { DAY_MS } from "./timeline.js";
import {
  CITIES,
  CORE_GROUPS,
  DRIVE_GROUPS,
  ENDPOINT_GROUP,
  HOST_DEPARTMENTS,
  KIOSK_GROUPS,
  KIOSK_PLACES,
  PMP_USERS,
} from "./vocabulary.js";

/** A group of instances or devices. */
export interface Group {
  id: string;
  name: string;
}

/**
 * The account's managed products: Core instances, Kiosks, Endpoints, Drive
 * devices and ICAP deployments. Small (tens of items), so generated once
 * and kept; the report data refers to it by index.
 */
export interface Fleet {
  coreInstances: CoreInstance[];
  coreGroups: Group[];
  kiosks: KioskDevice[];
  kioskGroups: Group[];
  /** MetaDefender Endpoint devices (PMP `EM` reports). */
  endpoints: ReportingDevice[];
  /** MetaDefender Drive devices. */
  drives: ReportingDevice[];
  /** Hosts scanned with MetaDefender Drive. */
  scannedHosts: string[];
  /** Enrolled ICAP deployments (from `cm.deployments`). */
  icapDeployments: string[];
  /** The latest version of each product, for the inventory's `latest` / `outdated`. */
  latestVersion: Record<"MDCORE" | "MDICAP" | "KIOSK" | "MK5" | "MDD", string>;
}

/** Core versions, newest first. */
const CORE_VERSIONS = ["5.16.1", "5.15.2", "5.14.2"];
const KIOSK_VERSIONS = ["4.7.2", "4.7.1", "4.6.5"];
const MK5_VERSIONS = ["5.2.0", "5.1.3"];

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

function weighted<T extends string>(r: Random, choices: Array<[T, number]>): T {
  let x = r.next();
  for (const [value, weight] of choices) {
    if (x < weight) return value;
    x -= weight;
  }
  return (choices[choices.length - 1] as [T, number])[0];
}

function health(r: Random, connected: boolean): HealthStatus {
  if (!connected) return "unknown";
  return weighted<HealthStatus>(r, [
    ["operational", 0.7],
    ["minorIssues", 0.15],
    ["significantIssues", 0.07],
    ["criticalIssues", 0.05],
    ["blockerIssues", 0.03],
  ]);
}

function groups(seed: number, key: string, names: string[], at: number): Group[] {
  return names.map((name, g) => ({ id: objectId(randomFor(seed, key, g), at), name }));
}

const ENV_OF: Record<string, string> = {
  Production: "production",
  Staging: "staging",
  "Branch offices": "branch",
};

function coreInstance(
  seed: number,
  j: number,
  enrolled: string | undefined,
  at: number,
  g: Group[],
) {
  const r = randomFor(seed, "core-instance", j);
  const group = g[j % g.length] as Group;
  const env = ENV_OF[group.name] ?? "production";
  const status: CoreInstance["status"] = enrolled
    ? "connected"
    : weighted(r, [
        ["connected", 0.75],
        ["disconnected", 0.15],
        ["nolicense", 0.1],
      ]);
  const lastSeen = status === "disconnected" ? at - (1 + r.int(20)) * DAY_MS : at - r.int(300_000);
  const instance: CoreInstance = {
    id: objectId(r, at - 400 * DAY_MS),
    name: `core-${env}-${pad(j + 1)}`,
    deployment_id: enrolled ?? `MDCORE-${r.hex(12).toUpperCase()}`,
    status,
    health_status: enrolled ? "operational" : health(r, status === "connected"),
    version: enrolled ? (CORE_VERSIONS[0] as string) : r.pick(CORE_VERSIONS),
    group_id: group.id,
    group_name: group.name,
    public_ip: `203.0.113.${1 + r.int(254)}`,
    last_seen: new Date(lastSeen).toISOString(),
    last_reported: new Date(lastSeen - r.int(600_000)).toISOString(),
    license:
      status === "nolicense"
        ? { expiration: 0, type: "Unlicensed" }
        : {
            expiration: at + (r.int(420) - 20) * DAY_MS,
            type: r.next() < 0.85 ? "Production" : "Trial",
          },
    tags: [
      { key: "env", value: env },
      { key: "region", value: r.pick(["us-east", "eu-central", "ap-southeast"]) },
    ],
  };
  return instance;
}

function kiosk(seed: number, k: number, at: number, g: Group[], cores: CoreInstance[]) {
  const r = randomFor(seed, "kiosk", k);
  const productType: KioskDevice["productType"] = k % 3 === 2 ? "MK5" : "KIOSK";
  const group = g[k % g.length] as Group;
  const place = KIOSK_PLACES[k % KIOSK_PLACES.length] as string;
  const city = r.pick(CITIES);
  const core = cores.length ? (cores[k % cores.length] as CoreInstance) : undefined;
  const connectivity = weighted<KioskDevice["connectivity"]>(r, [
    ["connected", 0.85],
    ["disconnected", 0.1],
    ["nolicense", 0.05],
  ]);
  const model = productType === "MK5" ? "L1001" : "K3001";
  const version = r.pick(productType === "MK5" ? MK5_VERSIONS : KIOSK_VERSIONS);
  const lastSeen =
    connectivity === "disconnected" ? at - (1 + r.int(10)) * DAY_MS : at - r.int(600_000);
  const ipv4 = `10.20.${1 + r.int(50)}.${2 + r.int(250)}`;
  const serial = `${model}-${2300 + r.int(60)}-${pad(r.int(1000), 5)}`;
  const hostName = `KIOSK-${place.toUpperCase()}-${pad(k + 1)}`;
  const mac = Array.from({ length: 6 }, () => r.hex(2).toUpperCase()).join(":");
  const device: KioskDevice = {
    deviceId: uuid(r),
    productType,
    deviceName: `${place}-Kiosk-${pad(k + 1)}`,
    healthStatus: health(r, connectivity === "connected"),
    statusMessages: [],
    modelId: model,
    hardwareVersionId: `HW-${1 + r.int(3)}.${r.int(5)}`,
    deviceType: productType,
    agentVersion: `${version}.${1000 + r.int(500)}`,
    isRequired: r.next() < 0.1,
    publicIp: `198.51.100.${1 + r.int(254)}`,
    location: `${group.name}, ${place.toLowerCase()}`,
    groupId: group.id,
    groupName: group.name,
    policyId: objectId(r, at - 300 * DAY_MS),
    groupPolicyId: objectId(r, at - 300 * DAY_MS),
    groupPolicyName: `${group.name} Kiosk policy`,
    lastSeen,
    enrolledAt: at - (60 + r.int(600)) * DAY_MS,
    lastReport: lastSeen - r.int(3_600_000),
    tags: [place.toLowerCase()],
    coreInfo: {
      coreDeploymentId: core?.deployment_id ?? "",
      coreVersion: core?.version ?? "",
      coreId: core?.id ?? "",
      coreName: core?.name ?? "",
      isCoreEnrolled: core !== undefined,
    },
    geolocation: {
      coordinates: { latitude: city.latitude, longitude: city.longitude },
      country: { friendlyName: city.friendlyName, iso2Code: city.iso2Code },
    },
    properties: {
      biosVersion: `1.${10 + r.int(6)}.0`,
      hardware: { manufacturer: "OPSWAT", model, serialNumber: serial },
      network: [{ adapterName: "Ethernet", ipv4, macAddress: mac }],
      hostName,
      kioskVersion: version,
      osInfo:
        productType === "MK5"
          ? "Windows 11 IoT Enterprise LTSC 2024"
          : "Windows 10 IoT Enterprise LTSC 2021",
      hardenedImageVersion: `2.${r.int(4)}.0`,
    },
    configurationStatus: { status: "applied", lastFetched: lastSeen - r.int(600_000) },
    connectivity,
    licenseExpiration: connectivity === "nolicense" ? 0 : at + (r.int(700) - 10) * DAY_MS,
    username: r.pick(PMP_USERS),
  };
  if (device.healthStatus !== "operational" && device.healthStatus !== "unknown") {
    device.statusMessages = ["Engine definitions are outdated"];
  }
  return device;
}

/** Generates the fleet of an account from the seed and the options. */
export function createFleet(seed: number, options: ResolvedOptions["cm"]): Fleet {
  const at = options.dataEndsAt;
  const enrolled = options.deployments.filter((d) => d.toUpperCase().startsWith("MDCORE-"));
  const coreGroups = groups(seed, "core-group", CORE_GROUPS, at - 500 * DAY_MS);
  const coreCount = Math.max(options.volumes.coreInstances, enrolled.length);
  const coreInstances = Array.from({ length: coreCount }, (_, j) =>
    coreInstance(seed, j, enrolled[j], at, coreGroups),
  );
  const kioskGroups = groups(seed, "kiosk-group", KIOSK_GROUPS, at - 500 * DAY_MS);
  const kiosks = Array.from({ length: options.volumes.kioskDevices }, (_, k) =>
    kiosk(seed, k, at, kioskGroups, coreInstances),
  );
  const endpoints = Array.from({ length: 6 }, (_, e): ReportingDevice => {
    const r = randomFor(seed, "endpoint", e);
    return {
      id: uuid(r),
      name: `WS-${r.pick(HOST_DEPARTMENTS)}-${pad(1 + r.int(9999), 4)}`,
      type: "EM",
      group: ENDPOINT_GROUP,
      model: "MetaDefender Endpoint",
    };
  });
  const drives = Array.from({ length: 3 }, (_, d): ReportingDevice => {
    const r = randomFor(seed, "drive", d);
    return {
      id: uuid(r),
      name: `MDD-${pad(d + 1, 3)}`,
      type: "MDD",
      group: DRIVE_GROUPS[d % DRIVE_GROUPS.length] as string,
      model: d % 2 === 0 ? "MetaDefender Drive M1" : "MetaDefender Drive M2",
    };
  });
  const scannedHosts = Array.from({ length: 24 }, (_, h) => {
    const r = randomFor(seed, "scanned-host", h);
    return `${r.next() < 0.6 ? "WS" : "LT"}-${r.pick(HOST_DEPARTMENTS)}-${pad(1 + r.int(9999), 4)}`;
  });
  return {
    coreInstances,
    coreGroups,
    kiosks,
    kioskGroups,
    endpoints,
    drives,
    scannedHosts,
    icapDeployments: options.deployments.filter((d) => d.toUpperCase().startsWith("MDICAP-")),
    latestVersion: {
      MDCORE: CORE_VERSIONS[0] as string,
      MDICAP: "5.9.2",
      KIOSK: KIOSK_VERSIONS[0] as string,
      MK5: MK5_VERSIONS[0] as string,
      MDD: "3.4.1",
    },
  };
}

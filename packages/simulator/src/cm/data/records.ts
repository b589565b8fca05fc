/**
 * Shapes of the records the simulated Central Management answers with.
 * They mirror schemas of `specs/central-management.yaml` (the simulator
 * imports nothing of the client packages); the tests validate every answer
 * against the spec, so a drift shows up there.
 */

/** One PMP (Kiosk / Endpoint) report (`PmpReport`). */
export interface PmpReport {
  timestamp: number;
  sync_time: number;
  session_id: string;
  report_id: string;
  user_name: string;
  device_name: string;
  device_id: string;
  device_type: string;
  device_group: string;
  media_type: string;
  total_infected: number;
  total_vulnerability: number;
  total_sensitive: number;
  total_coo: number;
  total_skipped: number;
  total_files_scanned: number;
  total_sanitized: number;
  total_threat: number;
}

/** One file of a PMP report (`PmpReportDetail`). */
export interface PmpReportDetail {
  id: string;
  timestamp: number;
  sync_time: number;
  session_id: string;
  file_name: string;
  file_path: string;
  pmp_type: string;
  device_id: string;
  device_type: string;
  device_name: string;
  md5: string;
  sha1: string;
  sha256: string;
}

/** One MetaDefender Drive report (`MddReport`). */
export interface MddReport {
  timestamp: number;
  sync_time: number;
  session_id: string;
  report_id: string;
  device_id: string;
  hardware_model: string;
  scan_profile: string;
  scanned_host: string;
  scanned_by: string;
  device_group: string;
  total_infected: number;
  total_vulnerability: number;
  total_sensitive: number;
  total_coo: number;
  total_skipped: number;
  total_files_scanned: number;
  total_sanitized: number;
  total_threat: number;
}

/** One file of a Drive report (`MddReportDetail`). */
export interface MddReportDetail {
  id: string;
  timestamp: number;
  sync_time: number;
  session_id: string;
  file_path: string;
  threat_type: string;
  device_id: string;
  device_group: string;
  sha256: string;
}

/** One processing-history record of a Core instance (`CoreReport`). */
export interface CoreReport {
  timestamp: number;
  user: string;
  file_name: string;
  status: "Blocked" | "Allowed";
  result: string;
  data_id: string;
  parent_data_id: string;
  workflow: string;
  sha256: string;
  deployment_id: string;
  request_type: "batch" | "batched" | "extracted" | "rest";
  progress_percent: number;
  start_time: number;
  file_size: number;
  upload_time_ms: number;
  processing_time_ms: number;
  incident_types: string[];
  verdicts: string[];
  actions: string[];
  parent_session_ids: string[];
  instance_id: string;
  clients: Array<{
    user_name: string;
    deployment_id: string;
    product_type: string;
    timestamp: number;
  }>;
  file_type: { category: string; description: string; extension: string; mime_type: string };
}

/** Processing statistics of one Core instance (`CoreInstanceStatistics`). */
export interface CoreInstanceStatistics {
  total_processed_files: number;
  total_blocked_files: number;
  total_sanitized_files: number;
  total_quarantined_files: number;
  coo_detection: number;
  spoofing: number;
  vulnerabilities: number;
  sensitive_data: number;
  zero_day_protection: number;
  threat_analysis: number;
  oss_vulnerabilities: number;
  insights_threat_intelligence: number;
  known_good_bad: number;
  threat_detection: number;
}

/** A Core instance (`CoreInstance`, without `verbose`). */
export interface CoreInstance {
  id: string;
  name: string;
  deployment_id: string;
  status: "connected" | "disconnected" | "nolicense";
  health_status: HealthStatus;
  version: string;
  group_id: string;
  group_name: string;
  public_ip: string;
  last_seen: string;
  last_reported: string;
  license: { expiration: number; type: string };
  tags: Array<{ key: string; value: string }>;
}

/** Health states counted by the inventory. */
export type HealthStatus =
  | "operational"
  | "minorIssues"
  | "significantIssues"
  | "criticalIssues"
  | "blockerIssues"
  | "unknown";

/** A Kiosk device (`KioskDevice`) plus what the inventory counts. */
export interface KioskDevice {
  deviceId: string;
  productType: "KIOSK" | "MK5";
  deviceName: string;
  healthStatus: HealthStatus;
  statusMessages: string[];
  modelId: string;
  hardwareVersionId: string;
  deviceType: string;
  agentVersion: string;
  isRequired: boolean;
  publicIp: string;
  location: string;
  groupId: string;
  groupName: string;
  policyId: string;
  groupPolicyId: string;
  groupPolicyName: string;
  lastSeen: number;
  enrolledAt: number;
  lastReport: number;
  tags: string[];
  coreInfo: {
    coreDeploymentId: string;
    coreVersion: string;
    coreId: string;
    coreName: string;
    isCoreEnrolled: boolean;
  };
  geolocation: {
    coordinates: { latitude: string; longitude: string };
    country: { friendlyName: string; iso2Code: string };
  };
  properties: {
    biosVersion: string;
    hardware: { manufacturer: string; model: string; serialNumber: string };
    network: Array<{ adapterName: string; ipv4: string; macAddress: string }>;
    hostName: string;
    kioskVersion: string;
    osInfo: string;
    hardenedImageVersion: string;
  };
  configurationStatus: { status: string; lastFetched: number };
  /** Not sent: connectivity counted by the inventory. */
  connectivity: "connected" | "disconnected" | "nolicense";
  /** Not sent: licence expiry counted by the inventory (0 = no licence). */
  licenseExpiration: number;
  /** Not sent: the login shown in the device list. */
  username: string;
}

/** A device that makes PMP or Drive reports but is not a Kiosk (Endpoint, Drive). */
export interface ReportingDevice {
  id: string;
  name: string;
  type: string;
  group: string;
  model: string;
}

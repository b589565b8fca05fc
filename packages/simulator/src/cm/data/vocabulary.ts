/**
 * Word lists the seeded report data is drawn from, so generated records
 * read like a real account's (device names, users, files, hosts).
 */

/** Users logged in to Kiosks and Endpoints when a PMP report was made. */
export const PMP_USERS = [
  "jdoe",
  "asmith",
  "kiosk-guest",
  "mlopez",
  "tnguyen",
  "visitor",
  "rkumar",
];

/** Media a PMP device scans. */
export const PMP_MEDIA = ["USB", "CD/DVD", "SD Card", "Network Share"];

/** Users that scan machines with MetaDefender Drive. */
export const DRIVE_USERS = ["jdoe", "field-tech", "ir-team", "asmith", "contractor-07"];

/** Departments used to name scanned hosts (`WS-FIN-0042`). */
export const HOST_DEPARTMENTS = ["FIN", "ENG", "HR", "OPS", "LAB", "SEC"];

/** Scan profiles of MetaDefender Drive. */
export const DRIVE_PROFILES = ["Full scan", "Quick scan", "Boot sector scan", "Custom scan"];

/** Users whose API keys submit files to MetaDefender Core. */
export const CORE_USERS = [
  "ci-scanner",
  "jdoe",
  "svc-upload",
  "mft-gateway",
  "icap-proxy",
  "asmith",
];

/** Workflow rules of MetaDefender Core. */
export const CORE_WORKFLOWS = ["File process", "Sanitize all", "Skip big files", "Email security"];

/** Words file names are built from. */
export const FILE_WORDS = [
  "invoice",
  "report",
  "setup",
  "release",
  "photo",
  "contract",
  "backup",
  "notes",
  "payroll",
  "drivers",
  "presentation",
  "customers",
];

/** File types by extension, as MetaDefender Core describes them. */
export const FILE_TYPES: Record<
  string,
  { category: string; description: string; mime_type: string }
> = {
  zip: { category: "A", description: "ZIP compressed archive", mime_type: "application/zip" },
  pdf: {
    category: "D",
    description: "Adobe Portable Document Format",
    mime_type: "application/pdf",
  },
  docx: {
    category: "D",
    description: "Office Open XML Document",
    mime_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  },
  docm: {
    category: "D",
    description: "Office Open XML Macro-Enabled Document",
    mime_type: "application/vnd.ms-word.document.macroEnabled.12",
  },
  xlsx: {
    category: "D",
    description: "Office Open XML Spreadsheet",
    mime_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  },
  exe: { category: "E", description: "Windows executable", mime_type: "application/x-dosexec" },
  png: { category: "G", description: "Portable Network Graphics", mime_type: "image/png" },
  txt: { category: "T", description: "Plain text", mime_type: "text/plain" },
};

/** The extensions of {@link FILE_TYPES}. */
export const FILE_EXTENSIONS = Object.keys(FILE_TYPES);

/** Folders file paths are built from (Windows style, as Kiosks and Drive report them). */
export const FOLDERS = [
  "E:\\",
  "E:\\finance\\",
  "E:\\tools\\",
  "C:\\Users\\jdoe\\Documents\\",
  "D:\\",
];

/** Where Kiosks stand. */
export const KIOSK_PLACES = ["Lobby", "Reception", "Warehouse", "Plant", "Cafeteria", "Gate"];

/** Cities of Kiosks (geolocation). */
export const CITIES = [
  { latitude: "37.7749", longitude: "-122.4194", friendlyName: "United States", iso2Code: "US" },
  { latitude: "47.4979", longitude: "19.0402", friendlyName: "Hungary", iso2Code: "HU" },
  { latitude: "52.5200", longitude: "13.4050", friendlyName: "Germany", iso2Code: "DE" },
  { latitude: "1.3521", longitude: "103.8198", friendlyName: "Singapore", iso2Code: "SG" },
];

/** Groups of Kiosk devices. */
export const KIOSK_GROUPS = ["Headquarters", "Manufacturing", "Branch offices"];

/** Groups of MetaDefender Core instances. */
export const CORE_GROUPS = ["Production", "Staging", "Branch offices"];

/** Groups of Endpoints (PMP `EM` devices) and Drive devices. */
export const ENDPOINT_GROUP = "Workstations";
/** Groups of MetaDefender Drive devices. */
export const DRIVE_GROUPS = ["Field engineers", "Incident response"];

/** A plausible document file name drawn from `r` (`word_1234.ext`). */
export function documentFileName(r: {
  pick<T>(items: readonly T[]): T;
  int(n: number): number;
}): string {
  return `${r.pick(FILE_WORDS)}_${String(r.int(10_000)).padStart(4, "0")}.${r.pick(FILE_EXTENSIONS)}`;
}

import type { components } from "./generated/schema.js";

type Schemas = components["schemas"];

/** Answer of the OAuth token endpoint. */
export type OAuthTokenResponse = Schemas["OAuthTokenResponse"];
/** State of a direct connection (`connId`, `status`). */
export type ConnectionStatus = Schemas["ConnectionStatus"];
/** An issue category of PMP and Drive reports (`VUL`, `COO`, `SENSITIVE`, `SKIPPED`, `INFECTED`). */
export type IssueType = Schemas["IssueType"];
/** One PMP (Kiosk / Endpoint) report. */
export type PmpReport = Schemas["PmpReport"];
/** One file record of a PMP report's details. */
export type PmpReportDetail = Schemas["PmpReportDetail"];
/** One MetaDefender Drive report. */
export type MddReport = Schemas["MddReport"];
/** One file record of a Drive report's details. */
export type MddReportDetail = Schemas["MddReportDetail"];
/** A MetaDefender Core instance managed by Central Management. */
export type CoreInstance = Schemas["CoreInstance"];
/** One processing-history record of a MetaDefender Core instance. */
export type CoreReport = Schemas["CoreReport"];
/** Inventory of one product type in the account. */
export type InventoryProduct = Schemas["InventoryProduct"];
/** Processing overview of Kiosk instances. */
export type KioskOverview = Schemas["KioskOverview"];
/** Counters of one Kiosk scan session. */
export type KioskSessionDetail = Schemas["KioskSessionDetail"];
/** Full detail of one Kiosk device. */
export type KioskDevice = Schemas["KioskDevice"];
/** One row of the Kiosk device list. */
export type KioskDeviceSummary = Schemas["KioskDeviceSummary"];

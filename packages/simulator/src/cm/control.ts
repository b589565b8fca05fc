/**
 * What tests can see and do beside the Central Management API: the control
 * and the records it shows. Types only, importing nothing of the routes, so
 * that the public declarations need no more than the language's own types.
 */

/** Product types a direct connection can reach. */
export type ProductType = "mdcore" | "mdicap";

/** Status of a direct connection as `getConnectionStatus` reports it. */
export type ConnectionState = "REQUESTING" | "CONNECTED" | "FAILED" | "DISCONNECTED";

/** What a test can inspect about one direct connection. */
export interface DirectConnectionInfo {
  connId: string;
  productType: ProductType;
  deploymentId: string;
  /** The `Purpose` given when it was opened. */
  purpose: string | undefined;
  /** OAuth client that opened it. */
  clientId: string;
  status: ConnectionState;
  /** When it was requested (simulator clock, ms). */
  openedAt: number;
  /** When it was closed, if it was. */
  closedAt: number | undefined;
  /** Requests tunnelled through it. */
  requests: number;
}

/** One accepted `updateKioskConfiguration` request. */
export interface KioskConfigurationUpdate {
  /** When it was accepted (simulator clock, ms). */
  at: number;
  applyType: "all" | "instances";
  /** The Kiosks it targets (known device ids). */
  deviceIds: string[];
  yaraSources: Record<string, unknown> | undefined;
  skipByHash: Record<string, unknown> | undefined;
  /** OAuth client that sent it. */
  clientId: string;
}

/** Controls and inspection of the simulated Central Management. */
export interface CentralManagementControl {
  /** Expires every access token issued so far (the next call with one gets 401). */
  expireTokens(): void;
  /**
   * Revokes an OAuth client: its tokens stop working (401) and it can get
   * no new ones (401 `invalid_client`) until {@link restoreClient}.
   */
  revokeClient(clientId: string): void;
  /** Lets a revoked client in again. */
  restoreClient(clientId: string): void;
  /** Number of access tokens currently valid. */
  readonly activeTokens: number;
  /** Every direct connection opened so far (closed ones with status `DISCONNECTED`). */
  readonly connections: DirectConnectionInfo[];
  /** Makes a connection `FAILED`, as when the instance cannot be reached; false when unknown. */
  failConnection(connId: string): boolean;
  /** Accepted `updateKioskConfiguration` requests, oldest first. */
  readonly kioskConfigurationUpdates: readonly KioskConfigurationUpdate[];
  /** Report detail records written to response streams so far (shows back-pressure at work). */
  readonly detailRecordsStreamed: number;
}

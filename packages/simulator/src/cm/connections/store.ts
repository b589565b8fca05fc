import type { SimulatorContext } from "../../context.js";
import type { ConnectionState, DirectConnectionInfo, ProductType } from "../control.js";
import { uuid } from "../data/ids.js";
import { badRequest } from "../errors.js";

interface Connection {
  connId: string;
  productType: ProductType;
  deploymentId: string;
  purpose: string | undefined;
  clientId: string;
  openedAt: number;
  closedAt: number | undefined;
  failed: boolean;
  requests: number;
}

/** The product type a deployment id belongs to (`MDCORE-…` → `mdcore`). */
export function productTypeOf(deploymentId: string): ProductType | undefined {
  const upper = deploymentId.toUpperCase();
  if (upper.startsWith("MDCORE-")) return "mdcore";
  if (upper.startsWith("MDICAP-")) return "mdicap";
  return undefined;
}

/**
 * Direct connections. A connection is `REQUESTING` until `connectDelayMs`
 * have passed on the simulator's clock, then `CONNECTED` (computed on
 * read, no timers); closing it forgets it for every operation but close.
 */
export class ConnectionStore {
  private readonly connections = new Map<string, Connection>();

  constructor(private readonly ctx: SimulatorContext) {}

  /** Opens a connection to an enrolled deployment. */
  open(
    productType: ProductType,
    deploymentId: string,
    purpose: string | undefined,
    clientId: string,
  ): DirectConnectionInfo {
    const connection: Connection = {
      connId: uuid(this.ctx.random),
      productType,
      deploymentId,
      purpose,
      clientId,
      openedAt: this.ctx.now(),
      closedAt: undefined,
      failed: false,
      requests: 0,
    };
    this.connections.set(connection.connId, connection);
    return this.info(connection);
  }

  /** An open (not closed) connection, or undefined. */
  get(connId: string): DirectConnectionInfo | undefined {
    const connection = this.connections.get(connId);
    return connection && connection.closedAt === undefined ? this.info(connection) : undefined;
  }

  /** An open connection, or 400 "Invalid ConnectionId" (unknown or closed), as the spec says. */
  require(connId: string): DirectConnectionInfo {
    const connection = this.get(connId);
    if (!connection) throw badRequest("Invalid ConnectionId");
    return connection;
  }

  /** Counts one tunnelled request. */
  countRequest(connId: string): void {
    const connection = this.connections.get(connId);
    if (connection) connection.requests++;
  }

  /** Closes a connection: true when it was known (closing twice is fine), false when never opened. */
  close(connId: string): boolean {
    const connection = this.connections.get(connId);
    if (!connection) return false;
    connection.closedAt ??= this.ctx.now();
    return true;
  }

  /** Makes a connection `FAILED` (the instance could not be reached); false when unknown. */
  fail(connId: string): boolean {
    const connection = this.connections.get(connId);
    if (!connection) return false;
    connection.failed = true;
    return true;
  }

  /** Every connection opened so far, closed ones included. */
  list(): DirectConnectionInfo[] {
    return [...this.connections.values()].map((c) => this.info(c));
  }

  private info(connection: Connection): DirectConnectionInfo {
    const { failed, ...rest } = connection;
    let status: ConnectionState;
    if (connection.closedAt !== undefined) status = "DISCONNECTED";
    else if (failed) status = "FAILED";
    else if (this.ctx.now() - connection.openedAt >= this.ctx.options.cm.connectDelayMs) {
      status = "CONNECTED";
    } else status = "REQUESTING";
    return { ...rest, status };
  }
}

// @mdkit/direct-connection as a consumer sees it.
import type { CentralManagementClient } from "@mdkit/central-management";
import {
  type DirectConnection,
  DirectConnectionError,
  DirectConnectionTimeoutError,
  openDirectConnection,
} from "@mdkit/direct-connection";

export async function rulesThrough(
  cm: CentralManagementClient,
  deploymentId: string,
): Promise<number> {
  await using connection: DirectConnection = await openDirectConnection(cm, {
    productType: "mdcore",
    deploymentId,
    timeoutMs: 30_000,
  });
  const response = await connection.fetch(`${connection.baseUrl}/file/rules`);
  return response.status;
}
export const isConnectionError = (error: unknown): boolean =>
  error instanceof DirectConnectionError || error instanceof DirectConnectionTimeoutError;

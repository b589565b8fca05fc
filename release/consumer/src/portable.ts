/**
 * The portable entries only, as a browser or edge application imports them:
 * type-checked with `types: []` (no @types/node) and the DOM library, so a
 * Node-only type in a shipped declaration fails here.
 */
import { type ClusterSession, clientCredentials, clusterSession } from "@mdkit/auth";
import { createCentralManagementClient, paginateReports } from "@mdkit/central-management";
import { createClusterClient, unwrap } from "@mdkit/cluster";
import { type BinaryBody, type FetchLike, isMdkitError } from "@mdkit/core";
import { type DirectConnection, openDirectConnection } from "@mdkit/direct-connection";
import { type ScanResult, scanFile } from "@mdkit/scan";

const baseUrl = "https://gateway.example.test";
const fetchLike: FetchLike = (request) => fetch(request);

export async function scanInBrowser(file: Blob): Promise<ScanResult> {
  await using session: ClusterSession = clusterSession({
    baseUrl,
    user: "u",
    password: "p",
    fetch: fetchLike,
  });
  const cluster = createClusterClient({ baseUrl, auth: session });
  const body: BinaryBody = file;
  await unwrap(
    cluster.POST("/file", { body, params: { header: { "Content-Length": file.size } } }),
  );
  return scanFile(cluster, file);
}

export async function firstReport(deploymentId: string): Promise<string | undefined> {
  const cm = createCentralManagementClient({
    region: "eu",
    auth: clientCredentials({ clientId: "id", clientSecret: "secret", region: "eu" }),
  });
  await using connection: DirectConnection = await openDirectConnection(cm, {
    productType: "mdcore",
    deploymentId,
  });
  for await (const report of paginateReports(cm, "/o/core/v1.1/reports", { limit: 100 })) {
    return report.file_name ?? connection.id;
  }
  return undefined;
}

export const isError = (value: unknown): boolean => isMdkitError(value);

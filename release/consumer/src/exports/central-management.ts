// @mdkit/central-management as a consumer sees it, and its spec export.
import {
  type CentralManagementClient,
  type CoreReport,
  createCentralManagementClient,
  paginateReports,
  type Region,
  reportDetails,
} from "@mdkit/central-management";

const region: Region = "eu";
export const cm: CentralManagementClient = createCentralManagementClient({
  region,
  auth: () => ({ authorization: "Bearer token" }),
});
export async function firstCoreReport(): Promise<CoreReport | undefined> {
  for await (const report of paginateReports(cm, "/o/core/v1.1/reports", { limit: 10 }))
    return report;
  return undefined;
}
export async function countDetails(sessionId: string): Promise<number> {
  let count = 0;
  for await (const _ of reportDetails(cm, "/o/pmp/v1/reports/details", { session_id: sessionId }))
    count++;
  return count;
}
export const spec: string = import.meta.resolve("@mdkit/central-management/openapi.yaml");

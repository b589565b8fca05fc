// @mdkit/cluster as a consumer sees it, and its spec export.
import {
  type AnalysisResult,
  type ClusterClient,
  createClusterClient,
  isNotFoundResult,
  type paths,
  type Rule,
  unwrap,
} from "@mdkit/cluster";

export const cluster: ClusterClient = createClusterClient({
  baseUrl: "http://127.0.0.1:8899",
  auth: () => ({ apikey: "key" }),
});
export async function firstRule(): Promise<Rule | undefined> {
  return (await unwrap(cluster.GET("/file/rules")))[0];
}
export async function analysis(dataId: string): Promise<AnalysisResult | undefined> {
  const { data } = await cluster.GET("/file/{data_id}", { params: { path: { data_id: dataId } } });
  return data && !isNotFoundResult(data) ? data : undefined;
}
export type Upload = paths["/file"]["post"]["requestBody"];
export const spec: string = import.meta.resolve("@mdkit/cluster/openapi.yaml");

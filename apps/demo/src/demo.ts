/**
 * The Quick start demo: the two typed clients talking to Prism mocks of the
 * specs on loopback (no network). It shows the shape of the SDK; the answers
 * are the specs' examples, not a live service.
 */
import { createCentralManagementClient, unwrap as unwrapCm } from "@mdkit/central-management";
import { createClusterClient, isNotFoundResult, unwrap } from "@mdkit/cluster";
import { specPaths, startPrism } from "@mdkit/testing";

const line = (label: string, value: unknown) => console.log(`  ${label.padEnd(34)} ${value}`);

async function main() {
  console.log("mdkit demo: typed clients against Prism mocks of specs/*.yaml on 127.0.0.1\n");
  const [clusterMock, cmMock] = await Promise.all([
    startPrism(specPaths.cluster),
    startPrism(specPaths.cm),
  ]);
  try {
    console.log(`MetaDefender Distributed Cluster API Gateway (mock at ${clusterMock.url})`);
    const login = await unwrap(
      createClusterClient({ baseUrl: clusterMock.url }).POST("/login", {
        body: { user: "admin", password: "admin" },
      }),
    );
    const cluster = createClusterClient({
      baseUrl: clusterMock.url,
      auth: () => ({ apikey: login.session_id ?? "" }),
    });
    line("POST /login → session", login.session_id ? "received (redacted)" : "missing");
    const rules = await unwrap(cluster.GET("/file/rules"));
    line("GET /file/rules", rules.map((r) => r.name).join(", "));
    const bytes = new TextEncoder().encode("hello from mdkit\n");
    const submitted = await unwrap(
      cluster.POST("/file", {
        body: bytes,
        params: {
          header: {
            "Content-Length": bytes.byteLength,
            filename: encodeURIComponent("résumé.txt"),
          },
        },
      }),
    );
    line("POST /file (17 bytes, UTF-8 name)", `data_id ${submitted.data_id}`);
    const result = await unwrap(
      cluster.GET("/file/{data_id}", { params: { path: { data_id: submitted.data_id } } }),
    );
    if (isNotFoundResult(result)) line("GET /file/{data_id}", "Not Found");
    else
      line(
        "GET /file/{data_id}",
        `progress ${result.scan_results?.progress_percentage}% verdict code ${result.scan_results?.scan_all_result_i}`,
      );

    console.log(`\nMy OPSWAT Central Management (mock at ${cmMock.url})`);
    const token = await unwrapCm(
      createCentralManagementClient({ baseUrl: cmMock.url }).POST("/o/oauth2/token", {
        body: {
          client_id: "mdkit-demo",
          client_secret: "mdkit-demo-secret",
          grant_type: "client_credentials",
        },
      }),
    );
    line("POST /o/oauth2/token", `${token.token_type} token, expires in ${token.expires_in}s`);
    const cm = createCentralManagementClient({
      baseUrl: cmMock.url,
      auth: () => ({ authorization: `Bearer ${token.access_token}` }),
    });
    const reports = await unwrapCm(cm.POST("/o/core/v1.1/reports", { body: { limit: 10 } }));
    line(
      "POST /o/core/v1.1/reports",
      `${reports.data?.length ?? 0} record(s), next token ${reports.token ? "present" : "none"}`,
    );
    const devices = await unwrapCm(cm.GET("/o/pmp/v1/kiosk/devices"));
    line("GET /o/pmp/v1/kiosk/devices", `${devices.total} device(s)`);
    console.log("\nDone: every call above went through the generated, typed clients.");
  } finally {
    await Promise.all([clusterMock.close(), cmMock.close()]);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

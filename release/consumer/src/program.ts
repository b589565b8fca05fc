/**
 * A realistic program of an mdkit user, compiled and run from the installed
 * tarballs: scans through the Cluster gateway, pages Central Management
 * reports, reaches the embedded Core through a direct connection and uploads
 * a file with the Node transport — against the simulator on 127.0.0.1.
 * Prints one JSON line per check; exits non-zero when one fails.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clientCredentials, clusterSession } from "@mdkit/auth";
import {
  type CoreReport,
  createCentralManagementClient,
  paginateReports,
} from "@mdkit/central-management";
import {
  type AnalysisResult,
  createClusterClient,
  isNotFoundResult,
  NotFoundError,
  unwrap,
} from "@mdkit/cluster";
import { createNodeFetch, openFileBlob } from "@mdkit/core/node";
import { openDirectConnection } from "@mdkit/direct-connection";
import { type HashLookup, lookupHash, type ScanResult, type Verdict } from "@mdkit/scan";
import { scanFile } from "@mdkit/scan/node";
import { createSimulator, DEFAULT_CREDENTIALS, EICAR_TEST_STRING } from "@mdkit/simulator";

const checks: { check: string; ok: boolean; detail: string }[] = [];
function expectThat(check: string, ok: boolean, detail: unknown): void {
  checks.push({ check, ok, detail: String(detail) });
}

const work = await mkdtemp(join(tmpdir(), "mdkit-consumer-run-"));
const sim = createSimulator({ cluster: { scanDurationMs: 20 }, cm: { connectDelayMs: 10 } });
const server = await sim.listen();
const transport = createNodeFetch();
try {
  const session = clusterSession({ baseUrl: server.url, ...DEFAULT_CREDENTIALS.cluster });
  const cluster = createClusterClient({ baseUrl: server.url, auth: session, fetch: transport });

  const rules = await unwrap(cluster.GET("/file/rules"));
  expectThat("rules are listed", rules.length > 0, rules.map((rule) => rule.name).join(","));

  const report = join(work, "report.txt");
  await writeFile(report, "quarterly numbers\n");
  const clean: ScanResult = await scanFile(cluster, report);
  expectThat("a plain file is clean", clean.verdict === "clean", clean.verdict);

  const infected = await scanFile(cluster, new Blob([EICAR_TEST_STRING]));
  const verdict: Verdict = infected.verdict;
  expectThat("EICAR is infected", verdict === "infected", infected.threats.join(","));

  if ("Bun" in globalThis) {
    // Bun builds a request body from a Blob's own bytes, never from an overridden
    // stream(): FileBlob (a Blob read from disk on demand) is Node-only.
    expectThat("a file blob uploads", true, "not on Bun: openFileBlob is Node-only");
  } else {
    const body = await openFileBlob(report);
    const submitted = await unwrap(
      cluster.POST("/file", {
        body,
        params: { header: { "Content-Length": body.size, filename: "report.txt" } },
      }),
    );
    expectThat("a file blob uploads", submitted.data_id.length > 0, submitted.data_id);
  }

  const lookup: HashLookup = await lookupHash(cluster, clean.sha256 ?? "");
  expectThat("the hash is known", lookup.status === "found", lookup.status);

  const unknown = await unwrap(
    cluster.GET("/hash/{hash}", { params: { path: { hash: "0".repeat(64) } } }),
  );
  expectThat("an unknown hash is Not Found", isNotFoundResult(unknown), JSON.stringify(unknown));

  const missing = await cluster.GET("/file/{data_id}", {
    params: { path: { data_id: "does-not-exist" } },
  });
  const analysis: AnalysisResult | undefined =
    missing.data && !isNotFoundResult(missing.data) ? missing.data : undefined;
  expectThat("an unknown data_id has no analysis", analysis === undefined, missing.response.status);

  const error = await unwrap(
    cluster.GET("/file/converted/{data_id}", {
      params: { path: { data_id: "does-not-exist" } },
    }),
  ).catch((caught: unknown) => caught);
  // The session sent as `apikey` appears nowhere in the error, however it is rendered.
  const sessionId = await session.getSessionId();
  const rendered = [String(error), JSON.stringify(error), (error as Error).stack].join("\n");
  expectThat(
    "errors are typed and redacted",
    error instanceof NotFoundError && !rendered.includes(sessionId),
    error instanceof Error ? error.name : typeof error,
  );

  const cm = createCentralManagementClient({
    baseUrl: server.url,
    auth: clientCredentials({ baseUrl: server.url, ...DEFAULT_CREDENTIALS.cm }),
  });
  const records: CoreReport[] = [];
  for await (const record of paginateReports(
    cm,
    "/o/core/v1.1/reports",
    { limit: 50 },
    { maxItems: 120 },
  )) {
    records.push(record);
  }
  expectThat("reports page by cursor", records.length === 120, records.length);

  const deploymentId = sim.options.cm.deployments[0] ?? "";
  const connection = await openDirectConnection(cm, {
    productType: "mdcore",
    deploymentId,
    purpose: "consumer smoke test",
  });
  try {
    const apikey = sessionId;
    const core = createClusterClient({
      baseUrl: connection.baseUrl,
      fetch: connection.fetch,
      auth: () => ({ apikey }),
    });
    const remote = await scanFile(core, {
      data: new TextEncoder().encode("through the tunnel"),
      name: "t.txt",
    });
    expectThat("a scan through a direct connection", remote.verdict === "clean", remote.verdict);
  } finally {
    await connection.close();
  }
  await session.logout();
} finally {
  transport.close();
  await server.close();
  await sim.close();
  await rm(work, { recursive: true, force: true });
}

const runtime = "Bun" in globalThis ? "bun" : `node ${process.version}`;
for (const { check, ok, detail } of checks) {
  console.log(JSON.stringify({ runtime, check, ok, detail }));
}
const failed = checks.filter((c) => !c.ok).length;
if (failed > 0 || checks.length === 0) process.exitCode = 1;

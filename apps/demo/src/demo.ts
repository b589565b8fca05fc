/**
 * The Quick start demo: mdkit end to end against the embedded simulator,
 * served over HTTP on 127.0.0.1 (no network). Every call goes through the
 * published packages exactly as a user would make it.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clientCredentials, clusterSession } from "@mdkit/auth";
import { createCentralManagementClient, unwrap as unwrapCm } from "@mdkit/central-management";
import { createClusterClient, unwrap } from "@mdkit/cluster";
import { openDirectConnection } from "@mdkit/direct-connection";
import {
  archiveChildren,
  downloadSanitized,
  scanBatch,
  scanFile,
  scanFiles,
} from "@mdkit/scan/node";
import { createSimulator, DEFAULT_CREDENTIALS, EICAR_TEST_STRING } from "@mdkit/simulator";
import { zipSync } from "fflate";

const text = (s: string) => new TextEncoder().encode(s);
const row = (label: string, value: unknown) => console.log(`  ${label.padEnd(40)} ${value}`);

async function main() {
  const work = await mkdtemp(join(tmpdir(), "mdkit-demo-"));
  await using sim = createSimulator({
    cluster: { scanDurationMs: 150 },
    cm: { connectDelayMs: 100 },
  });
  const server = await sim.listen();
  console.log(
    `mdkit demo: the SDK against the embedded simulator at ${server.url} (loopback only)\n`,
  );
  try {
    // --- MetaDefender Distributed Cluster API Gateway -------------------------------
    console.log("Cluster gateway");
    await using session = clusterSession({ baseUrl: server.url, ...DEFAULT_CREDENTIALS.cluster });
    const cluster = createClusterClient({ baseUrl: server.url, auth: session });

    const files = {
      "report.txt": text("quarterly numbers, nothing to see\n"),
      "eicar.com": text(EICAR_TEST_STRING),
      "nested.zip": zipSync({
        "inner.zip": zipSync({ "deep/eicar.txt": text(EICAR_TEST_STRING), "ok.txt": text("fine") }),
      }),
    };
    for (const [name, data] of Object.entries(files)) await writeFile(join(work, name), data);

    const clean = await scanFile(cluster, join(work, "report.txt"));
    row(
      "scanFile report.txt",
      `${clean.verdict} (${clean.engines.total} engines, ${clean.uploadedBytes} bytes sent)`,
    );
    const infected = await scanFile(cluster, join(work, "eicar.com"));
    row("scanFile eicar.com", `${infected.verdict}: ${infected.threats.join(", ")}`);
    const nested = await scanFile(cluster, join(work, "nested.zip"));
    row(
      "scanFile nested.zip",
      `${nested.verdict} (worst child ${nested.archive?.worstDataId?.slice(0, 8)}…)`,
    );
    for await (const child of archiveChildren(cluster, nested.dataId))
      row(`  child ${child.name}`, child.verdict);
    const again = await scanFile(cluster, join(work, "report.txt"));
    row(
      "scanFile report.txt again (hash first)",
      `${again.verdict}, ${again.uploadedBytes} bytes sent`,
    );

    const many = Array.from({ length: 24 }, (_, i) => ({
      data: text(`document ${i}\n`),
      name: `doc-${i}.txt`,
    }));
    let ok = 0;
    for await (const item of scanFiles(cluster, many, { concurrency: { initial: 8 } }))
      if (item.ok && item.result.clean) ok++;
    row(
      "scanFiles 24 documents",
      `${ok} clean, ${sim.state.peakInFlight} requests in flight at the peak`,
    );

    const sanitized = await scanFile(
      cluster,
      { data: text("<html>macro-free page</html>"), name: "page.html" },
      { rule: "sanitize" },
    );
    if (sanitized.sanitized) {
      const saved = await downloadSanitized(cluster, sanitized.sanitized.dataId, `${work}/`);
      row(
        "downloadSanitized page.html",
        `${saved.bytes} bytes → ${saved.path.slice(work.length + 1)} (atomic)`,
      );
    }

    // The signer is pinned: here the simulator's own certificate, in production the one
    // configured in Core's inventory (MDKIT_BATCH_CERT_FINGERPRINT for the CLI).
    const signer = await sim.cluster.signingFingerprints();
    const batch = await scanBatch(cluster, [join(work, "report.txt"), join(work, "eicar.com")], {
      userData: "demo batch ✓",
      expectedFingerprint: signer.sha256,
    });
    row(
      "scanBatch 2 files",
      `${batch.verdict} (from the signed result); certificate ${batch.certificate.status}, signer SHA-256 ${batch.certificate.fingerprint256?.slice(0, 16)}… verified`,
    );

    // --- My OPSWAT Central Management ------------------------------------------------
    console.log("\nCentral Management");
    const auth = clientCredentials({ baseUrl: server.url, ...DEFAULT_CREDENTIALS.cm });
    const cm = createCentralManagementClient({ baseUrl: server.url, auth });
    let pages = 0;
    let records = 0;
    let blocked = 0;
    let token: string | undefined;
    do {
      const page = await unwrapCm(
        cm.POST("/o/core/v1.1/reports", { body: { limit: 100, ...(token ? { token } : {}) } }),
      );
      pages++;
      records += page.data?.length ?? 0;
      blocked += page.data?.filter((r) => r.status === "Blocked").length ?? 0;
      token = page.token || undefined;
    } while (token);
    row(
      "Core processing history (cursor paging)",
      `${records} records in ${pages} pages, ${blocked} blocked`,
    );
    const kiosks = await unwrapCm(cm.GET("/o/pmp/v1/kiosk/devices"));
    row(
      "Kiosk devices",
      `${kiosks.total} (${kiosks.items
        ?.map((k) => k.deviceName)
        .slice(0, 3)
        .join(", ")}, …)`,
    );

    const deploymentId = sim.options.cm.deployments[0] ?? "";
    {
      // On-premise Core through the console's tunnel: the same typed client and scanFile.
      await using connection = await openDirectConnection(cm, {
        productType: "mdcore",
        deploymentId,
        purpose: "demo",
      });
      const apikey = await session.getSessionId();
      const core = createClusterClient({
        baseUrl: connection.baseUrl,
        fetch: connection.fetch,
        auth: () => ({ apikey }),
      });
      const rules = (await unwrap(core.GET("/file/rules"))).map((r) => r.name).join(", ");
      row(`direct connection to ${deploymentId}`, `${connection.status}; Core rules: ${rules}`);
      const remote = await scanFile(core, {
        data: text(EICAR_TEST_STRING),
        name: "via-tunnel.com",
      });
      row("scanFile through the tunnel", remote.verdict);
    }
    row("direct connection after the scope", sim.cm.connections[0]?.status);

    console.log(
      `\nSimulator counters: ${sim.state.requestCount("analyzeFile")} uploads (the batch re-sends its 2 files by design), ${sim.state.requestCount("lookupHash")} hash lookups, ${sim.state.requestCount("getOAuthToken")} token request, ${sim.state.requestCount("login")} login`,
    );
    console.log("Done: no call left the machine.");
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

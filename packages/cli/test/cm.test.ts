import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CORE_KEY,
  EICAR,
  jsonl,
  parseCsv,
  run,
  startServer,
  type TestServer,
  tempFiles,
} from "./helpers.js";

const CORE_REPORTS = 137;
let server: TestServer;
beforeAll(async () => {
  server = await startServer({
    cm: {
      volumes: { coreReports: CORE_REPORTS, pmpReports: 30, coreInstances: 7, kioskDevices: 3 },
    },
  });
});
afterAll(() => server.sim.close());

describe("mdkit cm reports", () => {
  it("streams every core record exactly once across pages (jsonl)", async () => {
    const pages = server.sim.state.requestCount("listCoreReports");
    const { code, stdout, stderr } = await run(
      ["cm", "reports", "core", "--format", "jsonl", "--page-size", "10"],
      { env: server.env },
    );
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const records = jsonl(stdout);
    expect(records).toHaveLength(CORE_REPORTS);
    expect(new Set(records.map((r) => r.data_id)).size).toBe(CORE_REPORTS);
    const times = records.map((r) => Number(r.timestamp));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(server.sim.state.requestCount("listCoreReports") - pages).toBe(14);
  });

  it("stops after --limit records, and filters by --since/--until", async () => {
    const limited = await run(["cm", "reports", "pmp", "--limit", "12"], { env: server.env });
    expect(limited.code).toBe(0);
    expect(jsonl(limited.stdout)).toHaveLength(12);

    const all = jsonl((await run(["cm", "reports", "core"], { env: server.env })).stdout);
    const middle = Number(all[60]?.timestamp);
    const until = Number(all[90]?.timestamp);
    const window = jsonl(
      (
        await run(
          [
            "cm",
            "reports",
            "core",
            "--since",
            String(middle),
            "--until",
            new Date(until).toISOString(),
          ],
          {
            env: server.env,
          },
        )
      ).stdout,
    );
    expect(window.length).toBeGreaterThan(0);
    expect(window.length).toBeLessThan(all.length);
    for (const r of window) {
      expect(Number(r.timestamp)).toBeGreaterThanOrEqual(middle);
      expect(Number(r.timestamp)).toBeLessThanOrEqual(until);
    }
  });

  it("writes json, csv and yaml listings", async () => {
    const json = await run(["cm", "reports", "core", "--limit", "5", "--format", "json"], {
      env: server.env,
    });
    expect(JSON.parse(json.stdout)).toHaveLength(5);
    const csv = await run(["cm", "reports", "core", "--limit", "5", "--format", "csv"], {
      env: server.env,
    });
    const rows = parseCsv(csv.stdout);
    expect(rows).toHaveLength(5);
    expect(rows[0]?.data_id).toMatch(/\w+/);
  });

  it("rejects a bad time and a bad kind (exit 2)", async () => {
    const time = await run(["cm", "reports", "core", "--since", "yesterday-ish"], {
      env: server.env,
    });
    expect(time.code).toBe(2);
    expect(time.stderr).toMatch(/--since/);
    const kind = await run(["cm", "reports", "nope"], { env: server.env });
    expect(kind.code).toBe(2);
  });
});

describe("mdkit cm kiosks / instances", () => {
  it("lists every Kiosk device and every Core instance (all pages)", async () => {
    const kiosks = await run(["cm", "kiosks"], { env: server.env });
    expect(kiosks.code).toBe(0);
    expect(jsonl(kiosks.stdout)).toHaveLength(3);
    const instances = await run(["cm", "instances", "--format", "json"], { env: server.env });
    expect(instances.code).toBe(0);
    const list = JSON.parse(instances.stdout) as { deployment_id: string }[];
    expect(list).toHaveLength(7);
    expect(list.map((i) => i.deployment_id)).toContain("MDCORE-SIM-0001");
  });
});

describe("mdkit core", () => {
  const coreEnv = () => ({ ...server.env, MDKIT_CORE_APIKEY: CORE_KEY });

  it("lists the Core's rules through a direct connection, and closes it", async () => {
    const { code, stdout, stderr } = await run(
      ["core", "--deployment", "MDCORE-SIM-0001", "rules", "--format", "json"],
      { env: coreEnv() },
    );
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(JSON.parse(stdout).map((r: { name: string }) => r.name)).toContain("multiscan");
    const connections = server.sim.cm.connections;
    expect(connections.at(-1)?.requests).toBeGreaterThan(0);
    expect(server.sim.state.requestCount("closeConnection")).toBeGreaterThan(0);
  });

  it("scans through the direct connection", async () => {
    await using dir = await tempFiles({ "eicar.com": EICAR });
    const { code, stdout } = await run(
      ["core", "scan", dir.file("eicar.com"), "--deployment", "MDCORE-SIM-0001"],
      { env: coreEnv() },
    );
    expect(code).toBe(1);
    expect(jsonl(stdout)[0]).toMatchObject({ verdict: "infected" });
  });

  it("needs MDKIT_CORE_APIKEY and --deployment (exit 2)", async () => {
    const noKey = await run(["core", "--deployment", "MDCORE-SIM-0001", "rules"], {
      env: server.env,
    });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/MDKIT_CORE_APIKEY/);
    const noDeployment = await run(["core", "rules"], { env: coreEnv() });
    expect(noDeployment.code).toBe(2);
    expect(noDeployment.stderr).toMatch(/--deployment/);
  });

  it("reports an unknown deployment as a one-line error (exit 2)", async () => {
    const { code, stderr } = await run(["core", "--deployment", "MDCORE-NOPE", "rules"], {
      env: coreEnv(),
    });
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toHaveLength(1);
  });
});

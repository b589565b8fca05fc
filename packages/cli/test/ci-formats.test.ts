import { readFileSync } from "node:fs";
import { join } from "node:path";
import AjvDraft04 from "ajv-draft-04";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateXML } from "xmllint-wasm";
import { junitWriter } from "../src/scan/junit.js";
import { Outcome } from "../src/scan/outcome.js";
import type { FileReport } from "../src/scan/report.js";
import { findingFingerprint } from "../src/scan/sarif.js";
import { EICAR, jsonl, run, startServer, type TestServer, tempFiles, unique } from "./helpers.js";

const SCHEMAS = join(import.meta.dirname, "fixtures/schemas");
const sarifSchema = JSON.parse(readFileSync(join(SCHEMAS, "sarif-2.1.0.json"), "utf8"));
const junitSchema = readFileSync(join(SCHEMAS, "junit.xsd"), "utf8");

/** Validates a SARIF log against the SARIF 2.1.0 schema; the errors, or none. */
function sarifErrors(log: unknown): unknown[] {
  // The schema's language-tag pattern is not valid as a Unicode regular expression.
  const ajv = new (AjvDraft04 as unknown as typeof import("ajv").default)({
    strict: false,
    allErrors: true,
    validateFormats: false,
    unicodeRegExp: false,
  });
  const validate = ajv.compile(sarifSchema);
  return validate(log) ? [] : (validate.errors ?? []);
}

/** Validates JUnit XML against the Jenkins JUnit schema. */
async function junitErrors(xml: string): Promise<readonly unknown[]> {
  const result = await validateXML({
    xml: [{ fileName: "report.xml", contents: xml }],
    schema: [{ fileName: "junit.xsd", contents: junitSchema }],
  });
  return result.valid ? [] : result.errors;
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.sim.close());

/** A folder with a clean file, EICAR, EICAR in a zip, a hostile name and a missing file to scan. */
async function mixedFolder() {
  const { zipSync, strToU8 } = await import("fflate");
  const dir = await tempFiles({
    "clean.txt": unique("clean"),
    "eicar.com": EICAR,
    'odd <name> & "quote" \u0001.txt': EICAR,
    "suspicious.bin": unique("MDKIT-SUSPICIOUS-TEST-MARKER"),
  });
  const { writeFile } = await import("node:fs/promises");
  await writeFile(
    dir.file("bundle.zip"),
    zipSync({ "docs/readme.txt": strToU8("fine"), "docs/eicar.com": strToU8(EICAR) }),
  );
  return dir;
}

describe("--format sarif", () => {
  it("validates against the SARIF 2.1.0 schema: one result per flagged file, engines as rules, stable fingerprints", async () => {
    await using dir = await mixedFolder();
    const { code, stdout } = await run(
      ["scan", dir.path, dir.file("missing.pdf"), "--format", "sarif"],
      {
        env: server.env,
      },
    );
    expect(code).toBe(2);
    const log = JSON.parse(stdout);
    expect(sarifErrors(log)).toEqual([]);
    expect(log.version).toBe("2.1.0");
    const [sarifRun] = log.runs;
    // biome-ignore lint/suspicious/noExplicitAny: a SARIF log read back, checked against its schema above
    const results = sarifRun.results as Array<Record<string, any>>;
    // eicar.com, the odd name, bundle.zip (infected) and suspicious.bin (warning); clean.txt is no result.
    expect(results).toHaveLength(4);
    const byUri = Object.fromEntries(
      results.map((r) => [
        decodeURIComponent(r.locations[0].physicalLocation.artifactLocation.uri).split("/").pop(),
        r,
      ]),
    );
    expect(byUri["eicar.com"]).toMatchObject({ level: "error", kind: "fail" });
    expect(byUri["suspicious.bin"]).toMatchObject({ level: "warning" });
    expect(byUri["bundle.zip"].message.text).toMatch(/found in bundle\.zip › docs\/eicar\.com/);
    const ruleIds = sarifRun.tool.driver.rules.map((r: { id: string }) => r.id);
    for (const result of results) expect(ruleIds[result.ruleIndex]).toBe(result.ruleId);
    expect(byUri["eicar.com"].message.text).toMatch(/EICAR/);
    // The same content flagged by the same engine has the same fingerprint, whatever its name.
    const eicar = byUri["eicar.com"];
    const odd = results.find((r) =>
      r.locations[0].physicalLocation.artifactLocation.uri.includes("odd"),
    );
    expect(odd?.fingerprints).toEqual(eicar.fingerprints);
    expect(eicar.fingerprints["mdkit/content-rule/v1"]).toBe(
      findingFingerprint(eicar.properties.sha256, eicar.ruleId),
    );
    // The missing file is a notification, and the run was not successful.
    const [invocation] = sarifRun.invocations;
    expect(invocation.executionSuccessful).toBe(false);
    expect(JSON.stringify(invocation.toolExecutionNotifications)).toMatch(/missing\.pdf/);
  });

  it("an all-clean run is a valid, empty SARIF log", async () => {
    await using dir = await tempFiles({ "a.txt": unique("a") });
    const { code, stdout } = await run(["scan", dir.path, "--format", "sarif"], {
      env: server.env,
    });
    expect(code).toBe(0);
    const log = JSON.parse(stdout);
    expect(sarifErrors(log)).toEqual([]);
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].invocations[0].executionSuccessful).toBe(true);
    expect(sarifErrors({ ...log, version: "2.0.0" })).not.toEqual([]);
  });
});

describe("--format junit", () => {
  it("validates against the JUnit schema: infected and suspicious are failures, scan errors are errors", async () => {
    await using dir = await mixedFolder();
    const { code, stdout } = await run(
      ["scan", dir.path, dir.file("missing.pdf"), "--format", "junit"],
      {
        env: server.env,
      },
    );
    expect(code).toBe(2);
    expect(await junitErrors(stdout)).toEqual([]);
    expect(stdout).toMatch(/<testsuite name="mdkit scan" tests="6" failures="4" errors="1"/);
    expect(stdout).toMatch(
      /<failure type="infected" message="infected: EICAR[^"]*\(found in bundle\.zip › docs\/eicar\.com\)"/,
    );
    expect(stdout).toMatch(/<failure type="suspicious"/);
    expect(stdout).toMatch(/<error type="error" message="[^"]*missing\.pdf: no such file/);
    expect(stdout).toContain("odd &lt;name&gt; &amp; &quot;quote&quot; \uFFFD.txt");
  });

  it("an all-clean run is valid; the schema check does refuse a malformed report", async () => {
    await using dir = await tempFiles({ "a.txt": unique("a") });
    const { code, stdout } = await run(["scan", dir.path, "--format", "junit"], {
      env: server.env,
    });
    expect(code).toBe(0);
    expect(await junitErrors(stdout)).toEqual([]);
    expect(stdout).toMatch(/tests="1" failures="0" errors="0"/);
    // The case's time is the gateway's scan time of the file (simulated: 15 ms).
    expect(stdout).toMatch(
      /<testcase name="[^"]*a\.txt" classname="mdkit\.scan" time="0\.0[1-9]\d"\/>/,
    );
    expect(await junitErrors(stdout.replace(/<testcase name="[^"]*"/, "<testcase"))).not.toEqual(
      [],
    );
  });
});

describe("JUnit time from the gateway", () => {
  /** The report of one clean file whose result says `total_time`. */
  async function reportWithTime(totalTime: unknown): Promise<string> {
    let xml = "";
    const writer = junitWriter(async (text) => {
      xml += text;
    });
    const result = { raw: { scan_results: { total_time: totalTime } } };
    await writer.write({
      row: { path: "a.txt", verdict: "clean" },
      result: result as unknown as FileReport["result"],
    });
    await writer.end({
      outcome: new Outcome("infected"),
      elapsedMs: 1_500,
      startedAt: 0,
      interrupted: false,
      stoppedBy: undefined,
      rule: undefined,
    });
    return xml;
  }

  it("is a plain decimal of seconds, or absent when the figure is not a sensible one", async () => {
    const timeOf = async (totalTime: unknown) =>
      /<testcase [^>]*?(?: time="([^"]*)")?\/>/.exec(await reportWithTime(totalTime))?.[1];
    expect(await timeOf(15)).toBe("0.015");
    expect(await timeOf(0)).toBe("0.000");
    expect(await timeOf(86_400_000)).toBe("86400.000");
    expect(await timeOf(Number.MAX_SAFE_INTEGER)).toMatch(/^9007199254740\.\d{3}$/);
    for (const figure of [1e300, Number.MAX_SAFE_INTEGER + 2, Infinity, -5, Number.NaN, "12", null])
      expect(await timeOf(figure), String(figure)).toBeUndefined();
    expect(await junitErrors(await reportWithTime(1e300))).toEqual([]);
  });
});

describe("--only-flagged and --fields", () => {
  it("--only-flagged writes only files that are not clean; the summary counts all", async () => {
    await using dir = await tempFiles({ "a.txt": unique("a"), "eicar.com": EICAR });
    const { code, stdout, stderr } = await run(["scan", dir.path, "--only-flagged"], {
      env: server.env,
    });
    expect(code).toBe(1);
    expect(jsonl(stdout).map((r) => r.name)).toEqual(["eicar.com"]);
    expect(stderr).toMatch(/2 files: 1 clean, 1 infected, 0 failed, 0 not scanned/);
  });

  it("--fields selects and orders fields in every format; an unknown one lists the known", async () => {
    await using dir = await tempFiles({ "eicar.com": EICAR });
    const fields = ["verdict", "path"];
    const jsonOut = await run(["scan", dir.path, "--fields", "verdict,path", "--format", "json"], {
      env: server.env,
    });
    expect(Object.keys(JSON.parse(jsonOut.stdout)[0])).toEqual(fields);
    const csv = await run(["scan", dir.path, "--fields", "verdict, path", "--format", "csv"], {
      env: server.env,
    });
    expect(csv.stdout.split("\r\n")[0]).toBe("verdict,path");
    const table = await run(["rules", "--fields", "max_file_size", "--format", "table"], {
      env: server.env,
    });
    expect(table.stdout.split("\n")[0]).toBe("MAX FILE SIZE");
    const unknown = await run(["scan", dir.path, "--fields", "verdcit"], { env: server.env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /unknown field "verdcit" in --fields; the fields are: path, name, verdict/,
    );
    const sarif = await run(["scan", dir.path, "--fields", "path", "--format", "sarif"], {
      env: server.env,
    });
    expect(sarif.code).toBe(2);
    expect(sarif.stderr).toMatch(/--fields applies to table, json, jsonl, csv and yaml/);
  });
});

import { createHash } from "node:crypto";
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import type { EngineFinding } from "@mdkit/scan/node";
import type { Writer } from "../io.js";
import { VERSION } from "../version.js";
import { NOT_SCANNED } from "./outcome.js";
import { type FileReport, findingText, type ScanReportWriter } from "./report.js";

/** Verdicts that are findings (results); failures and files not scanned are notifications instead. */
const LEVELS: Record<string, "error" | "warning"> = {
  infected: "error",
  suspicious: "warning",
  blocked: "warning",
  incomplete: "warning",
};

/** The opening of the SARIF document, up to its first result. */
const OPENING = `{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{"results":[\n`;

/** The SARIF rule of a result that no engine names (e.g. a file the rule blocked). */
const verdictRuleId = (verdict: string) => `mdkit/verdict/${verdict}`;

/** The artifact URI of a path: relative paths stay relative (`/`-separated, encoded), others are file URIs. */
export function artifactUri(path: string): string {
  if (isAbsolute(path)) return pathToFileURL(path).href;
  return path
    .replace(/\\/g, "/")
    .replace(/^(?:\.\/)+/, "")
    .split("/")
    .map(encodeURIComponent)
    .join("/");
}

/** The engine a result is attributed to: the first that reported a threat or a non-clean code. */
function detectingEngine(findings: readonly EngineFinding[]): EngineFinding | undefined {
  return (
    findings.find((f) => f.threat) ??
    findings.find((f) => f.code !== undefined && f.code !== 0 && f.code !== 7)
  );
}

/**
 * A stable fingerprint of a finding: SHA-256 over the content's SHA-256 and
 * the rule, so the same content flagged by the same engine is the same
 * alert in every run, whatever the file is called or where it lies.
 */
export function findingFingerprint(sha256: string, ruleId: string): string {
  return createHash("sha256").update(`${sha256}\u0000${ruleId}`).digest("hex");
}

/**
 * SARIF 2.1.0: one result per flagged file (infected → `error`;
 * suspicious, blocked, incomplete → `warning`), attributed to the gateway
 * engine that detected it (the engines are the rules), with the threat
 * names, the path inside an archive, and a stable fingerprint from the
 * content's SHA-256 and the rule. Files whose scan failed or that were not
 * scanned are tool execution notifications, and make the invocation
 * unsuccessful. Results stream as files finish; the rules, which depend on
 * every result, close the document.
 */
export function sarifWriter(
  out: Writer,
  uriOf: (row: FileReport["row"]) => string,
): ScanReportWriter {
  const rules = new Map<string, { index: number; description: string }>();
  const notifications: unknown[] = [];
  let count = 0;
  let opened = false;
  const open = async () => {
    if (!opened) {
      opened = true;
      await out(OPENING);
    }
  };
  const ruleIndex = (id: string, description: string) => {
    let rule = rules.get(id);
    if (!rule) {
      rule = { index: rules.size, description };
      rules.set(id, rule);
    }
    return rule.index;
  };
  return {
    async write({ row, result }) {
      const verdict = String(row.verdict);
      const location = {
        physicalLocation: { artifactLocation: { uri: uriOf(row) } },
      };
      const level = LEVELS[verdict];
      if (!level || !result) {
        if (verdict === "clean") return;
        notifications.push({
          level: verdict === NOT_SCANNED ? "warning" : "error",
          message: { text: `${row.path}: ${String(row.error ?? verdict)}` },
          locations: [location],
          properties: { verdict },
        });
        return;
      }
      const engine = detectingEngine(result.engines.findings);
      const ruleId = engine?.engine ?? verdictRuleId(verdict);
      const index = ruleIndex(
        ruleId,
        engine
          ? `Detection by the gateway's ${engine.engine} engine`
          : `Files the gateway judged ${verdict}`,
      );
      const sarifResult = {
        ruleId,
        ruleIndex: index,
        level,
        kind: "fail",
        message: { text: `${row.path}: ${findingText(row)}` },
        locations: [location],
        fingerprints: {
          "mdkit/content-rule/v1": findingFingerprint(String(row.sha256 ?? row.path), ruleId),
        },
        properties: {
          verdict,
          threats: row.threats,
          foundIn: row.found_in,
          sha256: row.sha256,
          dataId: row.data_id,
          engines: result.engines.findings
            .filter((f) => f.threat || (f.code !== undefined && f.code !== 0 && f.code !== 7))
            .map((f) => ({ engine: f.engine, threat: f.threat ?? null, code: f.code ?? null })),
        },
      };
      await open();
      await out(`${count++ === 0 ? "" : ",\n"}${JSON.stringify(sarifResult)}`);
    },
    async end(run) {
      await open();
      const driver = {
        name: "mdkit",
        version: VERSION,
        informationUri: "https://www.npmjs.com/package/@mdkit/cli",
        rules: [...rules].map(([id, rule]) => ({
          id,
          name: id,
          shortDescription: { text: rule.description },
        })),
      };
      const invocation = {
        executionSuccessful: run.outcome.failed === 0 && !run.interrupted,
        startTimeUtc: new Date(run.startedAt).toISOString(),
        endTimeUtc: new Date(run.startedAt + run.elapsedMs).toISOString(),
        toolExecutionNotifications: notifications,
        properties: {
          summary: run.outcome.summary(),
          ...(run.stoppedBy ? { stoppedBy: run.stoppedBy } : {}),
        },
      };
      await out(
        `]${count === 0 ? "" : "\n"},"tool":${JSON.stringify({ driver })},"invocations":${JSON.stringify([invocation])}${run.rule ? `,"properties":${JSON.stringify({ gatewayRule: run.rule })}` : ""}}]}\n`,
      );
    },
  };
}

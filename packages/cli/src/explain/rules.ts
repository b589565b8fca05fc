/**
 * The explanation table: each entry recognises one kind of failure (by HTTP
 * status and operation, by error class name, by the system error code of a
 * cause) and says, in one line, what was wrong, which setting or flag fixes
 * it and what to run next. The first entry that matches wins. New error
 * classes (of `@mdkit/core` or others) slot in as new entries: matching goes
 * by `isHttpError` and `status`, by `name` (so no import of the class is
 * needed), or by the `code` of a cause.
 */
import { isHttpError } from "@mdkit/core";
import type { Target } from "./target.js";

/** One entry of the table. */
export interface Explanation {
  /** A name for tests and readers. */
  readonly name: string;
  /** Whether a failure of this kind stops the whole run (every further request would fail alike). */
  readonly stopsRun: boolean;
  /**
   * The message for `link` (the error or one of its causes), or `undefined`
   * when this entry does not apply. `error` is the outermost error.
   */
  explain(link: unknown, target: Target | undefined, error: unknown): string | undefined;
}

interface HttpLike {
  status: number;
  operation: string | undefined;
  request: { method: string; url: string };
  body: unknown;
  name: string;
}

const http = (link: unknown): HttpLike | undefined =>
  isHttpError(link) ? (link as unknown as HttpLike) : undefined;
const nameOf = (link: unknown): string =>
  link instanceof Error || (typeof link === "object" && link !== null)
    ? String((link as { name?: unknown }).name ?? "")
    : "";
const codeOf = (link: unknown): string | undefined => {
  const code = typeof link === "object" && link !== null ? (link as { code?: unknown }).code : "";
  return typeof code === "string" && code ? code : undefined;
};
const messageOf = (link: unknown): string =>
  link instanceof Error ? link.message : String(link ?? "");

/** The origin an HTTP error was about, else the target's URL. */
function originOf(link: unknown, target: Target | undefined): string {
  const url = http(link)?.request.url ?? target?.url;
  if (!url) return "the server";
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** The error body's own words (`err`, `error`, `message`), when it has some. */
function bodyText(body: unknown): string {
  if (typeof body === "string") return body;
  if (body && typeof body === "object") {
    const b = body as Record<string, unknown>;
    for (const key of ["err", "error_description", "error", "message"]) {
      if (typeof b[key] === "string") return b[key] as string;
    }
  }
  return "";
}

/** `HTTP 403 on listRules: Invalid user information.`: the status, the operation, the server's words (redacted). */
function answered(error: HttpLike): string {
  const words = bodyText(error.body).replace(/\s+/g, " ").trim().slice(0, 160);
  return `HTTP ${error.status} on ${error.operation ?? error.request.method}${words ? `: ${words}` : ""}`;
}

const isCentralManagementRequest = (error: HttpLike) => {
  try {
    return new URL(error.request.url).pathname.startsWith("/o/");
  } catch {
    return false;
  }
};

const cmCredentials = (target: Target | undefined) =>
  target?.service === "cm"
    ? target.credentialSettings
    : "MDKIT_CM_CLIENT_ID / MDKIT_CM_CLIENT_SECRET";

const loginHint = (target: Target | undefined) =>
  target?.loginCommand ? `, or run ${target.loginCommand}` : "";

/** Operations of the Cluster API whose 404 means "this is not a gateway". */
const GATEWAY_ENTRY_POINTS = new Set([
  "login",
  "listRules",
  "analyzeFile",
  "lookupHash",
  "createBatch",
]);

/** The table, most specific first. */
export const EXPLANATIONS: readonly Explanation[] = [
  {
    name: "credentials refused",
    stopsRun: true,
    explain(link, target) {
      const error = http(link);
      if (error?.name !== "InvalidCredentialsError") return undefined;
      if (error.operation === "getOAuthToken" || /\/oauth2?\//.test(error.request.url)) {
        return `Central Management refused the client id or secret (${answered(error)}): check ${cmCredentials(target)}${loginHint(target)}`;
      }
      const settings =
        target?.service === "cluster"
          ? target.credentialSettings
          : "MDKIT_CLUSTER_USER / MDKIT_CLUSTER_PASSWORD";
      return `the gateway at ${originOf(link, target)} refused the user name or password (${answered(error)}): check ${settings}${loginHint(target)}`;
    },
  },
  {
    name: "not a gateway",
    stopsRun: true,
    explain(link, target) {
      const error = http(link);
      if (error?.status !== 404 || !GATEWAY_ENTRY_POINTS.has(error.operation ?? "")) {
        return undefined;
      }
      if (target?.service === "core") {
        return `the instance reached through the direct connection answered 404 to ${error.request.method} ${new URL(error.request.url).pathname}: is ${target.deployment ?? "the deployment"} a MetaDefender Core (--product)?`;
      }
      const setting = target?.urlSetting ?? "MDKIT_CLUSTER_URL";
      return `${originOf(link, target)} answered 404 to ${error.request.method} ${new URL(error.request.url).pathname}: it is not a Cluster gateway. Check ${setting}: it must be the gateway's base URL (e.g. http://127.0.0.1:8899), not the Central Management one`;
    },
  },
  {
    name: "callback URL refused",
    stopsRun: true,
    explain(link) {
      const error = http(link);
      if (error?.status !== 400 || !/callback/i.test(bodyText(error.body))) return undefined;
      return `the gateway refused the callback URL (${bodyText(error.body)}): --callback-public-url must be an http(s) URL the gateway can reach, e.g. http://10.0.0.5:8081/mdkit-callbacks`;
    },
  },
  {
    name: "callback receiver",
    stopsRun: true,
    explain(link) {
      if (nameOf(link) !== "CallbackReceiverError") return undefined;
      return `${messageOf(link)} (check --callback-listen <host:port> and --callback-public-url <url>)`;
    },
  },
  {
    name: "redis unreachable",
    stopsRun: true,
    explain(link) {
      // Before "no such file": a missing Redis socket is an ENOENT cause of this error.
      if (nameOf(link) !== "RedisUnreachableError") return undefined;
      return `${messageOf(link)} (check --redis or MDKIT_REDIS_URL; --connect-timeout <ms> waits longer)`;
    },
  },
  {
    name: "no such rule",
    stopsRun: true,
    explain(link, target) {
      const error = http(link);
      if (error?.status !== 400 || !/rule/i.test(bodyText(error.body))) return undefined;
      const rule = target?.rule ? `"${target.rule}"` : "the rule asked for";
      const list =
        target?.service === "core" ? "mdkit core --deployment <id> rules" : "mdkit rules";
      return `the gateway has no rule ${rule}: run ${list} to see its rules, then pass one of them to --rule`;
    },
  },
  {
    name: "access refused",
    stopsRun: true,
    explain(link, target) {
      const error = http(link);
      if (!error) return undefined;
      const refused =
        error.status === 401 ||
        error.status === 403 ||
        error.status === 405 ||
        (error.status === 400 && /apikey/i.test(bodyText(error.body)));
      if (!refused || !target) return undefined;
      if (isCentralManagementRequest(error) || target.service === "cm") {
        return `Central Management refused the request (${answered(error)}): check ${cmCredentials(target)} and that the application is allowed this operation`;
      }
      if (target.service === "core") {
        return `the MetaDefender Core behind ${target.deployment ?? "the direct connection"} refused its API key (${answered(error)}): set ${target.credentialSettings} to an API key of that Core`;
      }
      if (target.credentials === "apikey") {
        return `the gateway at ${originOf(link, target)} refused the API key (${answered(error)}): check ${target.credentialSettings}${loginHint(target)}`;
      }
      return `the gateway at ${originOf(link, target)} refused the session of ${target.credentialSettings} (${answered(error)}): the user may not be allowed this operation; check the user's rights on the gateway${loginHint(target)}`;
    },
  },
  {
    name: "nothing listening",
    stopsRun: true,
    explain(link, target, error) {
      if (codeOf(link) !== "ECONNREFUSED") return undefined;
      const origin = originOf(error, target);
      if (target?.service === "cm" || target?.service === "core") {
        return `nothing answers at ${origin}: is Central Management reachable there? Check ${target.urlSetting}`;
      }
      return `nothing answers at ${origin}: is the gateway running at ${origin}? Check ${target?.urlSetting ?? "--url / MDKIT_CLUSTER_URL"} (mdkit simulator runs a local one)`;
    },
  },
  {
    name: "host not found",
    stopsRun: true,
    explain(link, target, error) {
      const code = codeOf(link);
      if (code !== "ENOTFOUND" && code !== "EAI_AGAIN") return undefined;
      return `the host of ${originOf(error, target)} was not found (${code}): check ${target?.urlSetting ?? "the URL"}`;
    },
  },
  {
    name: "TLS failure",
    stopsRun: true,
    explain(link, target, error) {
      const code = codeOf(link);
      if (!code || !/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|EPROTO/.test(code)) return undefined;
      return `the TLS connection to ${originOf(error, target)} failed (${code}): check that ${target?.urlSetting ?? "the URL"} has the right scheme (http or https) and that the server's certificate is trusted (NODE_EXTRA_CA_CERTS)`;
    },
  },
  {
    name: "no sanitized version",
    stopsRun: false,
    explain(link) {
      const error = http(link);
      if (
        error?.status !== 404 ||
        (error.operation !== "downloadConvertedFile" && error.operation !== "downloadProcessedFile")
      ) {
        return undefined;
      }
      const dataId = decodeURIComponent(new URL(error.request.url).pathname.split("/").pop() ?? "");
      return `there is no ${error.operation === "downloadProcessedFile" ? "processed" : "sanitized"} version of ${dataId}: the gateway did not sanitize that file (scan it with a sanitizing rule, see mdkit rules) or does not know that data_id`;
    },
  },
  {
    name: "unknown deployment",
    stopsRun: true,
    explain(link, target) {
      const error = http(link);
      if (
        error?.operation !== "initiateConnection" ||
        (error.status !== 404 && error.status !== 400)
      ) {
        return undefined;
      }
      return `Central Management could not open a direct connection to ${target?.deployment ?? "the deployment"} (HTTP ${error.status}${bodyText(error.body) ? `: ${bodyText(error.body)}` : ""}): check --deployment and --product against mdkit cm instances`;
    },
  },
  {
    name: "direct connection timed out",
    stopsRun: true,
    explain(link, target) {
      if (nameOf(link) !== "DirectConnectionTimeoutError") return undefined;
      return `the direct connection to ${target?.deployment ?? "the instance"} was not connected in time: check that the instance is online (mdkit cm instances) or raise --connect-timeout`;
    },
  },
  {
    name: "no such file",
    stopsRun: false,
    explain(link, _target, error) {
      if (codeOf(link) !== "ENOENT") return undefined;
      const path = (link as { path?: unknown }).path;
      const named = typeof path === "string" ? path : pathInMessage(messageOf(error));
      return `${named ?? "a file"}: no such file or directory (check the path)`;
    },
  },
  {
    name: "permission denied",
    stopsRun: false,
    explain(link, _target, error) {
      const code = codeOf(link);
      if (code !== "EACCES" && code !== "EPERM") return undefined;
      const path = (link as { path?: unknown }).path;
      const named = typeof path === "string" ? path : pathInMessage(messageOf(error));
      return `${named ?? "a file"}: permission denied (${code}): check its permissions`;
    },
  },
  {
    name: "batch timed out",
    stopsRun: false,
    explain(link) {
      const batchId = (link as { batchId?: unknown } | undefined)?.batchId;
      if (!/Timeout|Deadline/.test(nameOf(link)) || typeof batchId !== "string") return undefined;
      return `${messageOf(link)} (the batch may still be running on the gateway: pick it up with mdkit batch --resume ${batchId}, or pass a larger --timeout; never read as clean)`;
    },
  },
  {
    name: "timed out",
    stopsRun: false,
    explain(link) {
      if (!/Timeout|Deadline/.test(nameOf(link))) return undefined;
      return `${messageOf(link)} (pass a larger --timeout to wait longer; never read as clean)`;
    },
  },
  {
    name: "file too large",
    stopsRun: false,
    explain(link) {
      if (nameOf(link) !== "FileTooLargeError") return undefined;
      return `${messageOf(link)} (pick a rule with a larger limit: mdkit rules)`;
    },
  },
  {
    name: "answer too large or unreadable",
    stopsRun: false,
    explain(link, target) {
      const name = nameOf(link);
      if (!/TooLarge|Malformed|Unreadable/.test(name) || name === "MalformedResultError")
        return undefined;
      return `${messageOf(link)} (is ${target?.urlSetting ?? "the URL"} a MetaDefender gateway?)`;
    },
  },
  {
    name: "report period too old",
    stopsRun: true,
    explain(link) {
      if (nameOf(link) !== "ReportPeriodError") return undefined;
      const maxAgeMs = (link as { maxAgeMs?: unknown }).maxAgeMs;
      const days = typeof maxAgeMs === "number" ? Math.round(maxAgeMs / 86_400_000) : undefined;
      if (days === undefined) return undefined;
      return `Central Management keeps these reports for ${days} days and refuses a query that starts further back: pass --since ${days}d or later`;
    },
  },
  {
    name: "server busy",
    stopsRun: false,
    explain(link) {
      const error = http(link);
      if (!error || (error.status !== 503 && error.status !== 429)) return undefined;
      return `${messageOf(link)} (the server is busy: retry later, or lower --concurrency)`;
    },
  },
  {
    name: "server failure",
    stopsRun: false,
    explain(link) {
      const error = http(link);
      if (!error || error.status < 500) return undefined;
      return `${messageOf(link)} (a failure of the server, not of the file: retry later; --debug shows its answer)`;
    },
  },
];

/** The path in a message like "cannot read <path>: ENOENT". */
function pathInMessage(message: string): string | undefined {
  return /cannot read (.+?): E[A-Z]+/.exec(message)?.[1];
}

/**
 * `GET /file/{data_id}`, `POST /file/{data_id}/cancel`, `GET /hash/{hash}`
 * and `GET /file/rules`.
 */
import { route, type SimApp } from "../context.js";
import type { Gateway } from "./gateway.js";
import {
  booleanHeader,
  decodeHeader,
  gatewayError,
  jsonText,
  nonNegativeInt,
  notFoundResult,
  pageQuery,
} from "./http.js";

const HASH = /^([A-Fa-f0-9]{32}|[A-Fa-f0-9]{40}|[A-Fa-f0-9]{64}|[A-Fa-f0-9]{128})$/;

/** Registers `listRules` (a literal path: before the parameterised ones). */
export function registerRulesRoute(app: SimApp, gateway: Gateway): void {
  const { ctx } = gateway;
  route(app, ctx, "GET", "/file/rules", "listRules", (c) => {
    const principal = gateway.sessions.authenticate(c);
    if (principal instanceof Response) return principal;
    return c.json(
      ctx.options.cluster.rules.map((rule) => ({
        max_file_size: rule.maxFileSize,
        name: rule.name,
      })),
    );
  });
}

/** Registers `getAnalysisResult`, `cancelAnalysis` and `lookupHash`. */
export function registerAnalysisRoutes(app: SimApp, gateway: Gateway): void {
  const { ctx } = gateway;

  route(app, ctx, "POST", "/file/:data_id/cancel", "cancelAnalysis", (c) => {
    const principal = gateway.sessions.authenticate(c);
    if (principal instanceof Response) return principal;
    const dataId = c.req.param("data_id") ?? "";
    const node = gateway.files.get(dataId);
    if (!node) return gatewayError(c, 404, "Data ID not found");
    gateway.files.cancel(node, ctx.now());
    return c.json({ [dataId]: "cancelled" });
  });

  route(app, ctx, "GET", "/file/:data_id", "getAnalysisResult", (c) => {
    const principal = gateway.sessions.authenticate(c);
    if (principal instanceof Response) return principal;
    const dataId = c.req.param("data_id") ?? "";
    const node = gateway.files.get(dataId);
    if (!node) return notFoundResult(c, dataId);
    return jsonText(c, gateway.results.json(node, ctx.now(), pageQuery(c)));
  });

  route(app, ctx, "GET", "/hash/:hash", "lookupHash", (c) => {
    const principal = gateway.sessions.authenticate(c);
    if (principal instanceof Response) return principal;
    const hash = c.req.param("hash") ?? "";
    if (!HASH.test(hash)) return gatewayError(c, 404, "Invalid hash format");
    const now = ctx.now();
    const hours = nonNegativeInt(c.req.header("timerange"), 0);
    const node = gateway.files.lookup(
      hash,
      {
        rule: decodeHeader(c.req.header("rule")),
        selfOnly: booleanHeader(c.req.header("selfonly")),
        since: hours > 0 ? now - hours * 3_600_000 : undefined,
        includeInProgress: booleanHeader(c.req.header("include-inprogress")),
      },
      now,
    );
    if (!node) return notFoundResult(c, hash);
    return jsonText(c, gateway.results.json(node, now, pageQuery(c)));
  });
}

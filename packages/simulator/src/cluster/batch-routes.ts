/**
 * The Batch operations: create (with `rule` and percent-decoded
 * `user-data`), status with paging, close, the signed certificate, cancel.
 * Files join a batch through the `batch` header of `POST /file`.
 */
import { route, type SimApp, type SimContext } from "../context.js";
import { batchStatus, certificateDocument } from "./batch-report.js";
import { type Batch, batchStateAt } from "./batch-store.js";
import { defaultRule, findRule, type Gateway } from "./gateway.js";
import { decodeHeader, gatewayError, jsonObjectHeader, pageQuery } from "./http.js";
import { yamlDocument } from "./yaml.js";

/** The batch named by the path, or the answer to send. */
function batchOf(gateway: Gateway, c: SimContext, notFound = "Batch not found"): Batch | Response {
  const principal = gateway.sessions.authenticate(c);
  if (principal instanceof Response) return principal;
  const batch = gateway.batches.get(c.req.param("batchId") ?? "");
  return batch ?? gatewayError(c, 404, notFound);
}

/** Registers the Batch operations (literal `/file/batch` paths first). */
export function registerBatchRoutes(app: SimApp, gateway: Gateway): void {
  const { ctx } = gateway;

  route(app, ctx, "POST", "/file/batch", "createBatch", (c) => {
    const principal = gateway.sessions.authenticate(c);
    if (principal instanceof Response) return principal;
    const ruleName = decodeHeader(c.req.header("rule"));
    const rule = ruleName === undefined ? defaultRule(gateway) : findRule(gateway, ruleName);
    if (!rule) return gatewayError(c, 400, "Rule not found.");
    const userData = decodeHeader(c.req.header("user-data")) ?? "";
    if (new TextEncoder().encode(userData).byteLength > 1024) {
      return gatewayError(c, 400, "user-data is longer than 1024 bytes.");
    }
    const batch: Batch = {
      id: ctx.random.hex(32),
      rule,
      userAgent: c.req.header("user_agent") ?? "",
      username: principal.username,
      userData,
      createdAt: ctx.now(),
      closed: false,
      cancelledAt: undefined,
      files: [],
    };
    gateway.batches.add(batch);
    return c.json({ batch_id: batch.id });
  });

  route(app, ctx, "GET", "/file/batch/:batchId", "getBatchStatus", (c) => {
    const batch = batchOf(gateway, c);
    if (batch instanceof Response) return batch;
    return c.json(batchStatus(batch, ctx.now(), pageQuery(c), gateway.epoch));
  });

  route(app, ctx, "POST", "/file/batch/:batchId/close", "closeBatch", (c) => {
    const batch = batchOf(gateway, c);
    if (batch instanceof Response) return batch;
    batch.closed = true;
    return c.json(batchStatus(batch, ctx.now(), { first: 0, size: 50 }, gateway.epoch));
  });

  route(app, ctx, "GET", "/file/batch/:batchId/certificate", "getBatchCertificate", async (c) => {
    const batch = batchOf(gateway, c);
    if (batch instanceof Response) return batch;
    if (!batch.closed) return gatewayError(c, 400, "Batch is not closed.");
    const now = ctx.now();
    if (!batchStateAt(batch, now).finished) {
      return gatewayError(c, 400, "Batch is still being processed.");
    }
    const metadata = jsonObjectHeader(c.req.header("metadata"));
    if (metadata === null) return gatewayError(c, 400, "Invalid metadata header.");
    const material = await gateway.signer.load();
    const result = yamlDocument(
      certificateDocument(batch, now, {
        fingerprint: material.fingerprint,
        includeVulnerabilityInfo: metadata?.include_vul_info === true,
      }),
    );
    const signature = await gateway.signer.sign(new TextEncoder().encode(result));
    const body = result + yamlDocument({ signature, certificate: material.certificatePem });
    return c.body(body, 200, { "Content-Type": "application/yaml; charset=utf-8" });
  });

  route(app, ctx, "POST", "/file/batch/:batchId/cancel", "cancelBatch", (c) => {
    const batch = batchOf(gateway, c, "Batch not found");
    if (batch instanceof Response) return batch;
    const now = ctx.now();
    if (batch.cancelledAt === undefined && !batchStateAt(batch, now).finished) {
      for (const file of batch.files) gateway.files.cancel(file, now);
      batch.cancelledAt = now;
    }
    batch.closed = true;
    return c.json({ [batch.id]: "cancelled" });
  });
}

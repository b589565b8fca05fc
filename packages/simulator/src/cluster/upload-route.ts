/**
 * `POST /file`: the upload is consumed as a stream, never held: each chunk
 * is counted, hashed (MD5, SHA-1, SHA-256), searched for test content,
 * expanded when it is a ZIP, and for sanitizing rules written to a
 * temporary file. Refusals come before the body is read: 400 for a
 * `multipart/form-data` body (the gateway takes the file as the raw body),
 * 411 without a `Content-Length` (or with chunked transfer encoding), 422 for an empty
 * body, 400 for an unknown rule or batch, a closed batch, an invalid
 * `metadata` / `callbackurl`, or a file larger than the rule's
 * `max_file_size`, and 503 (with `Retry-After`) when `capacity` files are
 * in progress.
 */
import { route, type SimApp } from "../context.js";
import { forEachChunk, hasBody } from "../internal/body-chunks.js";
import { scanUpload } from "./content-scanner.js";
import type { Submission } from "./file-node.js";
import { defaultRule, findRule, type Gateway } from "./gateway.js";
import { decodeHeader, gatewayError, jsonObjectHeader } from "./http.js";
import { SanitizedWriter } from "./sanitized-file.js";

const MiB = 1024 * 1024;

const MULTIPART_REFUSED =
  "Multipart upload is not supported: send the file itself as the request body (Content-Type: application/octet-stream) with a Content-Length.";

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** Registers `analyzeFile`. */
export function registerUploadRoute(app: SimApp, gateway: Gateway): void {
  const { ctx } = gateway;
  const options = ctx.options.cluster;
  route(app, ctx, "POST", "/file", "analyzeFile", async (c) => {
    const principal = gateway.sessions.authenticate(c);
    if (principal instanceof Response) return principal;
    const request = c.req.raw;
    if (/^\s*multipart\//i.test(request.headers.get("content-type") ?? "")) {
      return gatewayError(c, 400, MULTIPART_REFUSED);
    }
    const lengthHeader = request.headers.get("content-length");
    if (/chunked/i.test(request.headers.get("transfer-encoding") ?? "") || lengthHeader === null) {
      return gatewayError(c, 411, "Missing Content-Length header.");
    }
    const length = Number(lengthHeader);
    if (!Number.isSafeInteger(length) || length < 0) {
      return gatewayError(c, 400, "Invalid Content-Length header.");
    }
    if (length === 0 || !hasBody(c)) return gatewayError(c, 422, "Body input is empty.");

    const batchId = c.req.header("batch");
    const batch = batchId === undefined ? undefined : gateway.batches.get(batchId);
    if (batchId !== undefined && !batch) return gatewayError(c, 400, "Batch not found.");
    if (batch?.closed) return gatewayError(c, 400, "Batch is closed.");
    const ruleName = decodeHeader(c.req.header("rule") ?? c.req.header("workflow"));
    const rule =
      ruleName === undefined ? (batch?.rule ?? defaultRule(gateway)) : findRule(gateway, ruleName);
    if (!rule) return gatewayError(c, 400, "Rule not found.");
    if (length > rule.maxFileSize) {
      return gatewayError(
        c,
        400,
        `File size exceeds the rule's maximum of ${rule.maxFileSize} bytes.`,
      );
    }
    const metadata = jsonObjectHeader(c.req.header("metadata"));
    if (metadata === null) return gatewayError(c, 400, "Invalid metadata header.");
    const callbackUrl = c.req.header("callbackurl");
    if (callbackUrl !== undefined && !isHttpUrl(callbackUrl)) {
      return gatewayError(c, 400, "Callback url is invalid.");
    }
    if (gateway.files.busy(ctx.now()) >= options.capacity) {
      return gatewayError(c, 503, "Server is too busy. Try again later.", {
        "Retry-After": String(options.busyRetryAfterSeconds),
      });
    }

    const dataId = ctx.random.hex(32);
    const name = decodeHeader(c.req.header("filename")) || dataId;
    gateway.files.uploading++;
    let writer: SanitizedWriter | undefined;
    try {
      if (rule.sanitize) writer = await SanitizedWriter.create(await ctx.tempDir(), dataId);
      const scanner = scanUpload(dataId, name, gateway.scanEnv);
      await forEachChunk(c, (chunk) => {
        ctx.state.bytesReceived += chunk.byteLength;
        scanner.push(chunk);
        return writer?.write(chunk);
      });
      if (scanner.bytes === 0) {
        await writer?.discard();
        return gatewayError(c, 422, "Body input is empty.");
      }
      const root = scanner.finish();
      await writer?.close();
      const startedAt = ctx.now();
      const submission: Submission = {
        rule,
        userAgent: c.req.header("user_agent") ?? "",
        username: principal.username,
        batchId: batch?.id,
        metadata,
        archivePassword: c.req.header("archivepwd") !== undefined,
        callbackUrl,
        startedAt,
        durationMs: options.scanDurationMs + (options.scanMsPerMiB * root.size) / MiB,
        root,
        sanitizedPath: writer?.path,
      };
      gateway.files.add(submission);
      const uploads = ctx.state.uploadsByHash;
      uploads.set(root.sha256, (uploads.get(root.sha256) ?? 0) + 1);
      batch?.files.push(root);
      if (callbackUrl) {
        gateway.callbacks.push(gateway.callbackSender.accept(root, callbackUrl, startedAt));
      }
      return c.json({ data_id: dataId });
    } catch {
      await writer?.discard();
      return gatewayError(c, 500, "Failed to receive the file.");
    } finally {
      gateway.files.uploading--;
    }
  });
}

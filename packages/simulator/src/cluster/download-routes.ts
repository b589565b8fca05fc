/**
 * `GET /file/converted/{data_id}` and `GET /file/download/{data_id}`: the
 * sanitized copy, streamed from disk with its `Content-Length` and a
 * `Content-Disposition` naming it. A file that is not finished, was
 * cancelled, or has no sanitized copy (rule without sanitization, or a file
 * extracted from an archive) answers 404. The simulator has no DLP, so the
 * processed download is the sanitized copy too.
 */
import { route, type SimApp, type SimContext } from "../context.js";
import { submissionOf } from "./file-node.js";
import { sanitizedReady } from "./file-result.js";
import type { Gateway } from "./gateway.js";
import { gatewayError } from "./http.js";
import {
  contentDisposition,
  convertedName,
  sanitizedHeader,
  streamFromDisk,
} from "./sanitized-file.js";

function download(gateway: Gateway, c: SimContext, notFound: string): Response {
  const principal = gateway.sessions.authenticate(c);
  if (principal instanceof Response) return principal;
  const node = gateway.files.get(c.req.param("data_id") ?? "");
  if (!node || !sanitizedReady(node, gateway.ctx.now())) return gatewayError(c, 404, notFound);
  const path = submissionOf(node).sanitizedPath as string;
  const length = sanitizedHeader(node.dataId).byteLength + node.size;
  return new Response(streamFromDisk(path), {
    status: 200,
    headers: {
      "Content-Type": "application/octet-stream",
      "Content-Length": String(length),
      "Content-Disposition": contentDisposition(convertedName(node).name),
    },
  });
}

/** Registers `downloadConvertedFile` and `downloadProcessedFile`. */
export function registerDownloadRoutes(app: SimApp, gateway: Gateway): void {
  const { ctx } = gateway;
  route(app, ctx, "GET", "/file/converted/:data_id", "downloadConvertedFile", (c) =>
    download(gateway, c, "Not found"),
  );
  route(app, ctx, "GET", "/file/download/:data_id", "downloadProcessedFile", (c) =>
    download(gateway, c, "File could not be found"),
  );
}

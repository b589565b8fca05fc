/**
 * The simulated MetaDefender Distributed Cluster API Gateway: all 14
 * operations of `specs/cluster.yaml` on one Hono app, with sessions,
 * streamed uploads scanned by content, archives extracted, processing that
 * takes simulated time, sanitized downloads, hash lookups, batches and
 * signed batch certificates.
 */
import { Hono } from "hono";
import type { SimApp, SimEnv, SimulatorContext } from "../context.js";
import { registerAnalysisRoutes, registerRulesRoute } from "./analysis-routes.js";
import { registerAuthRoutes } from "./auth-routes.js";
import { registerBatchRoutes } from "./batch-routes.js";
import { BatchSigner } from "./batch-signer.js";
import { BatchStore } from "./batch-store.js";
import { CallbackSender } from "./callback-sender.js";
import type { ClusterControl } from "./control.js";
import { createControl } from "./create-control.js";
import { registerDownloadRoutes } from "./download-routes.js";
import { EICAR_TEST_STRING } from "./eicar.js";
import { FileStore } from "./file-store.js";
import type { Gateway } from "./gateway.js";
import { SearchPatterns } from "./pattern-search.js";
import { ResultCache } from "./result-cache.js";
import { SessionStore } from "./sessions.js";
import { registerUploadRoute } from "./upload-route.js";

export type { ClusterBatchInfo, ClusterControl, ClusterFileInfo } from "./control.js";
export type { RecordedCallback } from "./recorded-callback.js";

/** Builds the Cluster gateway's routes and its control. */
export function createClusterApi(ctx: SimulatorContext): { app: SimApp; control: ClusterControl } {
  const options = ctx.options.cluster;
  const epoch = ctx.now();
  const files = new FileStore();
  const results = new ResultCache(files, epoch);
  const gateway: Gateway = {
    ctx,
    sessions: new SessionStore(ctx),
    files,
    results,
    batches: new BatchStore(),
    signer: new BatchSigner(ctx.now),
    callbacks: [],
    callbackSender: new CallbackSender(ctx, results, epoch),
    scanEnv: {
      patterns: new SearchPatterns([
        new TextEncoder().encode(EICAR_TEST_STRING),
        new TextEncoder().encode(options.suspiciousMarker),
      ]),
      newId: () => ctx.random.hex(32),
      maxDepth: 16,
    },
    epoch,
  };

  const app = new Hono<SimEnv>();
  registerAuthRoutes(app, ctx, gateway.sessions);
  // Literal paths before the parameterised /file/:data_id.
  registerRulesRoute(app, gateway);
  registerBatchRoutes(app, gateway);
  registerDownloadRoutes(app, gateway);
  registerUploadRoute(app, gateway);
  registerAnalysisRoutes(app, gateway);

  return { app, control: createControl(gateway) };
}

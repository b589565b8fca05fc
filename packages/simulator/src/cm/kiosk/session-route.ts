import type { SimApp } from "../../context.js";
import { randomFor } from "../../internal/random.js";
import { notFound } from "../errors.js";
import { securedOperation } from "../operation.js";
import type { CmServices } from "../services.js";

/**
 * `getKioskSessionDetail`: the counters of one scan session, which is a PMP
 * report of that device (`sessionId` is the report's `session_id`), so the
 * counters agree with the report and its details.
 */
export function registerKioskSessionRoute(app: SimApp, services: CmServices): void {
  securedOperation(
    app,
    services,
    "GET",
    "/o/pmp/v1/devices/:deviceId/report/scan/:sessionId",
    "getKioskSessionDetail",
    (c) => {
      const deviceId = c.req.param("deviceId") ?? "";
      const sessionId = c.req.param("sessionId") ?? "";
      const index = services.pmp.indexOfSession(sessionId);
      const report = index === undefined ? undefined : services.pmp.at(index);
      if (index === undefined || !report || report.device_id !== deviceId) {
        throw notFound("Session not found");
      }
      // Detections the report's issue types do not cover: rare, seeded per session.
      const r = randomFor(services.ctx.options.seed, "pmp-session-extra", index);
      return c.json({
        deviceId,
        sessionId,
        malwareInfected: report.total_infected,
        vulnerableApp: report.total_vulnerability,
        exploitProtection: r.next() < 0.05 ? 1 : 0,
        malwareSandbox: report.total_infected > 0 && r.next() < 0.3 ? 1 : 0,
        cooViolation: report.total_coo,
        privacyViolation: report.total_sensitive,
        skippedFile: report.total_skipped,
      });
    },
  );
}

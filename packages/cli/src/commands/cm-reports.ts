import type { Command } from "commander";
import { Argument } from "commander";
import { REPORT_KINDS, type ReportKind, reportRecords } from "../cm/pages.js";
import { connectCentralManagement } from "../connect.js";
import type { Context } from "../context.js";
import { CliError } from "../errors.js";
import { EXIT } from "../exit-codes.js";
import { formatOption, integerParser, parseTime } from "../options.js";
import { fieldsOption, type OutputFlags, recordWriterFor } from "../output-options.js";

const EXAMPLES = `
Examples:
  $ mdkit cm reports core --since 90d > core.jsonl
  $ mdkit cm reports pmp --since 2025-06-01 --until 2025-06-02T12:00:00Z --format csv > kiosk.csv
  $ mdkit cm reports mdd --limit 20 --format table

Every page is fetched in turn (cursor tokens) and each record is written as it arrives, so
any number of records streams with flat memory (jsonl, json, csv and yaml; a table waits for
the last record). Times: an ISO date or date-time, milliseconds since the epoch, or a
duration ago (30m, 24h, 7d). A period longer than Central Management answers in one query
(30 days) is fetched window by window; PMP and Drive reports reach back 30 days, Core reports
one year (--since 30d is accepted: the start is moved a minute inside the limit). Requests
keep to the rate limit the service announces (X-RateLimit-* headers).
In table and CSV output, points in time (timestamp, start_time, ...) are ISO 8601 (UTC);
JSON, JSON Lines and YAML keep the milliseconds as the API gives them.
`;

interface ReportsOptions extends OutputFlags {
  since?: number;
  until?: number;
  limit?: number;
  pageSize: number;
}

/** `mdkit cm reports <pmp|mdd|core>`: streams every report record of a period. */
export function registerCmReports(cm: Command, ctx: Context): void {
  cm.command("reports")
    .description("stream PMP (Kiosk/Endpoint), Drive or Core reports, every page, record by record")
    .addArgument(new Argument("<kind>", "report kind").choices(REPORT_KINDS))
    .option("--since <time>", "start of the period", (v) => parseTime(v))
    .option("--until <time>", "end of the period", (v) => parseTime(v))
    .option("--limit <n>", "stop after n records in total", integerParser(1))
    .option("--page-size <n>", "records per request, 1-100", integerParser(1), 100)
    .addOption(formatOption())
    .addOption(fieldsOption())
    .addHelpText("after", EXAMPLES)
    .action(
      ctx.action(async (kind: ReportKind, options: ReportsOptions) => {
        if (options.pageSize > 100)
          throw new CliError(
            "--page-size must be at most 100 (the most Central Management returns per page)",
          );
        if (
          options.since !== undefined &&
          options.until !== undefined &&
          options.until < options.since
        ) {
          throw new CliError("--until is before --since: swap them");
        }
        await using connected = connectCentralManagement(ctx);
        const writer = recordWriterFor(ctx, options);
        const limit = options.limit ?? Number.POSITIVE_INFINITY;
        let count = 0;
        if (count < limit) {
          const records = reportRecords(connected.client, kind, {
            startTime: options.since,
            endTime: options.until,
            pageSize: Math.min(options.pageSize, limit),
            signal: ctx.signal,
          });
          for await (const record of records) {
            await writer.write(record);
            if (++count >= limit) break;
          }
        }
        await writer.end();
        return EXIT.ok;
      }),
    );
}

import type { Command } from "commander";
import { connectCluster } from "../connect.js";
import { type Context, globalsOf } from "../context.js";
import { EXIT } from "../exit-codes.js";
import type { FailOn } from "../options.js";
import { failOnOption, integerParser } from "../options.js";
import { queueInputs } from "../queue/inputs.js";
import { loadQueue, REDIS_VARIABLE, redisOf } from "../queue/load.js";
import { statusText } from "../queue/status-text.js";
import { Outcome } from "../scan/outcome.js";
import { untilAborted } from "./simulator.js";

const EXAMPLES = `
Examples (Redis from --redis or ${REDIS_VARIABLE}, default redis://127.0.0.1:6379):
  $ mdkit queue add /shared/inbox --queue inbox --producer mail-archive
  $ mdkit queue work --queue inbox --concurrency 16          # on each host; SIGTERM stops it gracefully
  $ mdkit queue status --queue inbox
  $ mdkit queue results --queue inbox > results.ndjson       # one JSON line per job
  $ mdkit queue results --queue inbox --follow --after 1732600000000-0

Files are passed by path (every worker must see them at the same absolute path) or as
http(s) URLs; their bytes never go into Redis. The same content (SHA-256) with the same
rule is one job, whoever adds it. Every worker shares one adaptive gateway budget.
Needs the optional package @mdkit/queue.
`;

interface QueueOptions {
  queue: string;
  redis?: string;
  connectTimeout?: number;
}

const withQueueOptions = (command: Command) =>
  command
    .option("--queue <name>", "name of the queue", "mdkit-scan")
    .option("--redis <url>", `Redis URL or socket path (overrides ${REDIS_VARIABLE})`)
    .option(
      "--connect-timeout <ms>",
      "how long to wait for Redis before failing (default 10000)",
      integerParser(1),
    );

/** What the queue options say about reaching Redis. */
const redisOptions = (options: QueueOptions, ctx: Context) => ({
  connection: redisOf(options.redis, ctx.io.env),
  name: options.queue,
  ...(options.connectTimeout ? { connectTimeoutMs: options.connectTimeout } : {}),
});

interface DownloadOptions {
  downloadMaxBytes?: number;
  downloadTimeout?: number;
  downloadMaxRedirects?: number;
}

/** Options bounding the downloads of URL inputs (by `add` to hash them, by `work` to scan them). */
const withDownloadOptions = (command: Command) =>
  command
    .option(
      "--download-max-bytes <n>",
      "most bytes downloaded from one URL (default 4 GiB)",
      integerParser(1),
    )
    .option(
      "--download-timeout <ms>",
      "time allowed for one URL's download (default 600000)",
      integerParser(1),
    )
    .option(
      "--download-max-redirects <n>",
      "redirects followed per URL, http(s) only and never https to http (default 5; 0 for none)",
      integerParser(0),
    );

const downloadOf = (options: DownloadOptions) => ({
  download: {
    ...(options.downloadMaxBytes ? { maxBytes: options.downloadMaxBytes } : {}),
    ...(options.downloadTimeout ? { timeoutMs: options.downloadTimeout } : {}),
    ...(options.downloadMaxRedirects !== undefined
      ? { maxRedirects: options.downloadMaxRedirects }
      : {}),
  },
});

function registerAdd(queue: Command, ctx: Context) {
  withDownloadOptions(withQueueOptions(queue.command("add")))
    .description("queue files, directories (recursively) and http(s) URLs for scanning")
    .argument("<paths...>", "files, directories or http(s):// URLs")
    .option("--rule <name>", "rule to scan with (default: the gateway's default rule)")
    .option("--producer <id>", "who adds the files: producers are served in turns")
    .option("--attempts <n>", "tries per job for transient failures", integerParser(1), 3)
    .action(
      ctx.action(
        async (
          paths: string[],
          options: QueueOptions &
            DownloadOptions & { rule?: string; producer?: string; attempts: number },
        ) => {
          const { createScanQueue } = await loadQueue();
          const scanQueue = createScanQueue({
            ...redisOptions(options, ctx),
            ...downloadOf(options),
            ...(options.producer ? { producer: options.producer } : {}),
          });
          try {
            const added = await scanQueue.add(queueInputs(paths), {
              ...(options.rule ? { rule: options.rule } : {}),
              attempts: options.attempts,
              signal: ctx.signal,
            });
            const summary = {
              queue: options.queue,
              files: added.jobs.length,
              jobs: added.distinct,
            };
            await ctx.out(`${JSON.stringify(summary)}\n`);
            return EXIT.ok;
          } finally {
            await scanQueue.close();
          }
        },
      ),
    );
}

interface WorkOptions extends QueueOptions, DownloadOptions {
  concurrency: number;
  budget?: string;
  budgetMax?: number;
  timeout?: number;
  hashFirst: boolean;
}

function registerWork(queue: Command, ctx: Context) {
  withDownloadOptions(withQueueOptions(queue.command("work")))
    .description("scan queued files until SIGTERM/SIGINT (jobs in progress finish first)")
    .option("--concurrency <n>", "jobs this process works on at once", integerParser(1), 8)
    .option(
      "--budget <name>",
      "name of the shared gateway budget: one per gateway, shared by every queue and worker (default: the queue's name)",
    )
    .option(
      "--budget-max <n>",
      "most files on the gateway at once, across every worker (the limit adapts below it; default 64)",
      integerParser(1),
    )
    .option("--timeout <ms>", "per-file deadline in ms; a timeout is a failure", integerParser(1))
    .option("--no-hash-first", "upload every file, without looking its SHA-256 up first")
    .action(
      ctx.action(async (options: WorkOptions, cmd: Command) => {
        const { createScanWorker } = await loadQueue();
        await using cluster = connectCluster(ctx, { url: globalsOf(cmd).url });
        const worker = createScanWorker({
          ...redisOptions(options, ctx),
          ...downloadOf(options),
          cluster: cluster.client,
          concurrency: options.concurrency,
          budget: {
            ...(options.budget ? { name: options.budget } : {}),
            ...(options.budgetMax ? { max: options.budgetMax } : {}),
          },
          scan: {
            hashFirst: options.hashFirst,
            ...(options.timeout ? { timeoutMs: options.timeout } : {}),
          },
        });
        let done = 0;
        worker.on("result", () => {
          done++;
        });
        worker.on("error", (error) => ctx.reportError(error, "mdkit queue work: "));
        try {
          await worker.ready();
        } catch (error) {
          // Redis is not there (RedisUnreachableError names the host): stop trying.
          await worker.close(true);
          throw error;
        }
        ctx.err(`mdkit queue work: working on ${options.queue} (${options.concurrency} at once)\n`);
        await untilAborted(ctx.signal);
        ctx.err("mdkit queue work: stopping; jobs in progress finish first\n");
        await worker.close();
        ctx.err(`mdkit queue work: stopped after ${done} job${done === 1 ? "" : "s"}\n`);
        // Stopping on a signal is how a worker ends: not an interruption of work.
        return EXIT.ok;
      }),
    );
}

function registerStatus(queue: Command, ctx: Context) {
  withQueueOptions(queue.command("status"))
    .description("counts: jobs by state, results by verdict, files by producer, the gateway budget")
    .option("--json", "print JSON (the default when stdout is not a terminal)")
    .action(
      ctx.action(async (options: QueueOptions & { json?: boolean }) => {
        const { createScanQueue } = await loadQueue();
        const scanQueue = createScanQueue(redisOptions(options, ctx));
        try {
          const status = await scanQueue.status();
          const json = options.json || !ctx.io.stdout.isTTY;
          await ctx.out(json ? `${JSON.stringify(status)}\n` : statusText(options.queue, status));
          return EXIT.ok;
        } finally {
          await scanQueue.close();
        }
      }),
    );
}

function registerResults(queue: Command, ctx: Context) {
  withQueueOptions(queue.command("results"))
    .description("print one JSON line per finished job (NDJSON), in the order they finished")
    .option("--follow", "keep printing new results until interrupted")
    .option("--after <cursor>", "start after this result's cursor")
    .addOption(failOnOption())
    .action(
      ctx.action(
        async (options: QueueOptions & { follow?: boolean; after?: string; failOn: FailOn }) => {
          const { createScanQueue, toNdjsonLine } = await loadQueue();
          const scanQueue = createScanQueue(redisOptions(options, ctx));
          const outcome = new Outcome(options.failOn);
          try {
            const results = scanQueue.results({
              follow: options.follow === true,
              ...(options.after ? { after: options.after } : {}),
              signal: ctx.signal,
            });
            for await (const result of results) {
              outcome.add(result.ok ? result.result.verdict : undefined);
              await ctx.out(toNdjsonLine(result));
            }
          } catch (error) {
            if (!ctx.signal.aborted) throw error;
          } finally {
            await scanQueue.close();
          }
          if (ctx.signal.aborted && !options.follow) return EXIT.interrupted;
          return outcome.exitCode();
        },
      ),
    );
}

/**
 * `mdkit queue add|work|status|results`: durable scanning across processes
 * and hosts with `@mdkit/queue` (loaded only when one of them runs).
 */
export function registerQueue(program: Command, ctx: Context): void {
  const queue = program
    .command("queue")
    .description("scan through a durable queue on Redis, with workers on any number of hosts")
    .addHelpText("after", EXAMPLES);
  registerAdd(queue, ctx);
  registerWork(queue, ctx);
  registerStatus(queue, ctx);
  registerResults(queue, ctx);
}

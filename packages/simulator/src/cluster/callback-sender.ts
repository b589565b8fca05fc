/**
 * Calls back `callbackurl`s the way the gateway does: once an analysis is
 * finished, a `POST` of its result as JSON. Faults (delay, loss, duplicates,
 * wrong tokens, tampered bodies) are drawn per upload from the seed. Timers
 * and requests in flight end with the simulator's `close()`.
 */
import type { SimulatorContext } from "../context.js";
import { outboundAgents, postJson } from "../internal/post-json.js";
import type { CallbackOptions } from "../options.js";
import type { FileNode } from "./file-node.js";
import { analysisResult } from "./file-result.js";
import { windowOf } from "./file-state.js";
import type { RecordedCallback } from "./recorded-callback.js";
import type { ResultCache } from "./result-cache.js";

/** The page of extracted files a callback carries: the first, as a poll without paging gets. */
const FIRST_PAGE = { first: 0, size: 50 };

type Settings = Required<Omit<CallbackOptions, "fetch">> & Pick<CallbackOptions, "fetch">;

function settingsOf(options: CallbackOptions): Settings {
  return {
    delayMs: options.delayMs ?? 0,
    lossRate: options.lossRate ?? 0,
    duplicateRate: options.duplicateRate ?? 0,
    wrongTokenRate: options.wrongTokenRate ?? 0,
    tamperRate: options.tamperRate ?? 0,
    timeoutMs: options.timeoutMs ?? 5_000,
    fetch: options.fetch,
  };
}

/** The URL with its last path segment replaced: where a callback with a wrong token goes. */
function withOtherToken(url: string, token: string): string {
  const parsed = new URL(url);
  parsed.pathname = parsed.pathname.replace(/[^/]*$/, token);
  return parsed.href;
}

/** Sends the callbacks of one simulated gateway. */
export class CallbackSender {
  private readonly settings: Settings | undefined;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly stop = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly agents = outboundAgents();

  constructor(
    private readonly ctx: SimulatorContext,
    private readonly results: ResultCache,
    private readonly epoch: number,
  ) {
    const options = ctx.options.cluster.callbacks;
    this.settings = options === false ? undefined : settingsOf(options);
    ctx.onClose(() => this.close());
  }

  /** Records the callback URL of an accepted upload and, when callbacks are on, schedules the call. */
  accept(node: FileNode, url: string, recordedAt: number): RecordedCallback {
    const settings = this.settings;
    const record: RecordedCallback = {
      dataId: node.dataId,
      url,
      recordedAt,
      delivery: settings ? "pending" : "recorded",
      calledUrls: [],
      statuses: [],
      tampered: false,
    };
    if (!settings) return record;
    const { random } = this.ctx;
    // Every draw is made now, in upload order, so a seed reproduces the run.
    const lost = random.next() < settings.lossRate;
    const twice = random.next() < settings.duplicateRate;
    const wrongToken = random.next() < settings.wrongTokenRate;
    record.tampered = random.next() < settings.tamperRate;
    const otherToken = random.hex(43);
    if (lost) {
      record.delivery = "lost";
      return record;
    }
    const target = wrongToken ? withOtherToken(url, otherToken) : url;
    const end = windowOf(node).end + settings.delayMs;
    this.at(end, () => {
      const sending = this.send(node, record, target, twice ? 2 : 1, settings);
      this.inFlight.add(sending);
      void sending.finally(() => this.inFlight.delete(sending));
    });
    return record;
  }

  /**
   * Runs `action` once the clock reads `end`: the gateway calls back as soon
   * as the analysis is finished, never before. A timer may fire just before
   * the clock reads its end (timers round to the millisecond): it then waits
   * once more for what is left (at least a millisecond), and acts after that.
   */
  private at(end: number, action: () => void, timers = 0): void {
    const left = end - this.ctx.now();
    if (left <= 0 || timers >= 2) {
      action();
      return;
    }
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        this.at(end, action, timers + 1);
      },
      Math.max(1, Math.ceil(left)),
    );
    this.timers.add(timer);
  }

  private async send(
    node: FileNode,
    record: RecordedCallback,
    url: string,
    times: number,
    settings: Settings,
  ) {
    const now = this.ctx.now();
    let body: string;
    if (record.tampered) {
      // A result of its own: the one polls are answered with stays as it is.
      const result = analysisResult(node, now, FIRST_PAGE, this.epoch);
      const scan = (result.scan_results ?? {}) as Record<string, unknown>;
      result.scan_results = {
        ...scan,
        scan_all_result_i: 0,
        scan_all_result_a: "No Threat Detected",
      };
      body = JSON.stringify(result);
    } else {
      body = this.results.json(node, now, FIRST_PAGE);
    }
    let failed = false;
    for (let i = 0; i < times && !this.stop.signal.aborted; i++) {
      record.calledUrls.push(url);
      const signal = AbortSignal.any([this.stop.signal, AbortSignal.timeout(settings.timeoutMs)]);
      try {
        record.statuses.push(await this.post(url, body, signal, settings));
      } catch {
        failed = true;
        record.statuses.push(0);
      }
    }
    record.delivery = failed ? "failed" : "sent";
  }

  /** One callback request: through the given `fetch`, else `node:http(s)`; resolves with the status. */
  private async post(url: string, body: string, signal: AbortSignal, settings: Settings) {
    if (!settings.fetch) return postJson(url, body, this.agents, signal);
    const response = await settings.fetch(
      new Request(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        redirect: "manual",
        signal,
      }),
    );
    await response.body?.cancel().catch(() => {});
    return response.status;
  }

  /** Cancels every pending callback and waits for those in flight. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.stop.abort();
    await Promise.allSettled([...this.inFlight]);
    this.agents.destroy();
  }
}

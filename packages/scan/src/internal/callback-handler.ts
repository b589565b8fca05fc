import type {
  CallbackHandlerOptions,
  CallbackPatience,
  CallbackReceiver,
  CallbackStats,
} from "../callback-receiver.js";
import type { BodyRefusal } from "./callback-body.js";
import { type CallbackAnswer, type CallbackCall, callbackAnswer } from "./callback-call.js";
import { Subscription } from "./callback-subscription.js";
import { TOKEN_PATTERN, TokenSource } from "./callback-token.js";
import { checkPublicUrl, normalizePath } from "./callback-url.js";
import { webAnswer, webCall } from "./web-call.js";

/** A receiver, and its handler of calls from any transport (the Node listener calls it directly). */
export interface ReceiverCore {
  readonly receiver: CallbackReceiver;
  /** Answers one call; never rejects on anything the sender does. */
  handle(call: CallbackCall): Promise<CallbackAnswer>;
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;
const BUSY = callbackAnswer(503, { "retry-after": "1" });
const POST_ONLY = callbackAnswer(405, { allow: "POST" });
/** Bodies are decoded strictly: a body that is no UTF-8 is no JSON. */
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The receiver behind `createCallbackHandler` and the Node receiver: its
 * subscriptions, counters, and the decision on each call (see
 * `createCallbackHandler` for the rules).
 */
export function openReceiver(options: CallbackHandlerOptions): ReceiverCore {
  const base = checkPublicUrl(options.publicUrl);
  const under = `${normalizePath(options.path ?? new URL(base).pathname)}/`;
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? 10_000;
  const maxOutstanding = options.maxOutstanding ?? 10_000;
  const maxConcurrentBodies = options.maxConcurrentBodies ?? 64;
  const unreachableAfter = options.unreachableAfterMisses ?? 3;
  const patience: CallbackPatience = {
    graceMs: options.patience?.graceMs ?? 1_000,
    slowPollIntervalMs: options.patience?.slowPollIntervalMs ?? 5_000,
    slowPolls: options.patience?.slowPolls ?? 3,
  };
  const tokens = new TokenSource();
  const waiting = new Map<string, Subscription>();
  const stats: CallbackStats = {
    accepted: 0,
    duplicates: 0,
    unknown: 0,
    rejected: 0,
    outstanding: 0,
  };
  let missesInARow = 0;
  let reading = 0;
  let closed = false;

  const owner = {
    forget(token: string) {
      waiting.delete(token);
      stats.outstanding = waiting.size;
    },
    reached() {
      missesInARow = 0;
    },
    missed() {
      missesInARow++;
    },
  };

  /** The subscription a call's path `<prefix>/<token>` names, if it waits. */
  const subscriptionOf = (path: string) => {
    if (!path.startsWith(under)) return undefined;
    const token = path.slice(under.length);
    return TOKEN_PATTERN.test(token) ? waiting.get(token) : undefined;
  };

  const refuse = (call: CallbackCall, answer: CallbackAnswer) => {
    call.discard();
    return answer;
  };

  async function handle(call: CallbackCall): Promise<CallbackAnswer> {
    if (closed) return refuse(call, callbackAnswer(503));
    const subscription = subscriptionOf(call.path);
    if (!subscription) {
      stats.unknown++;
      return refuse(call, callbackAnswer(404));
    }
    if (call.method !== "POST") {
      stats.unknown++;
      return refuse(call, POST_ONLY);
    }
    if (subscription.answered) {
      stats.duplicates++;
      return refuse(call, callbackAnswer(200));
    }
    if (!JSON_TYPE.test(call.contentType)) {
      stats.rejected++;
      return refuse(call, callbackAnswer(415));
    }
    if (call.contentLength > maxBodyBytes) {
      stats.rejected++;
      return refuse(call, callbackAnswer(413));
    }
    if (reading >= maxConcurrentBodies) return refuse(call, BUSY);
    reading++;
    let body: Uint8Array | BodyRefusal;
    try {
      body = await call.readBody(maxBodyBytes, bodyTimeoutMs);
    } catch {
      // The sender went away mid-body: nothing to deliver.
      stats.rejected++;
      return callbackAnswer(400);
    } finally {
      reading--;
    }
    if (typeof body === "string") {
      stats.rejected++;
      return callbackAnswer(body === "too-large" ? 413 : 408);
    }
    const claimed = claimedDataId(body);
    if (subscription.deliver(claimed === null ? "refused" : "called", claimed ?? undefined)) {
      stats.rejected++;
      return callbackAnswer(400);
    }
    stats.accepted++;
    return callbackAnswer(200);
  }

  const receiver: CallbackReceiver = {
    url: base,
    fetch: async (request) => webAnswer(await handle(webCall(request))),
    subscribe() {
      if (closed || waiting.size >= maxOutstanding) return undefined;
      let token = tokens.next();
      while (waiting.has(token)) token = tokens.next();
      const subscription = new Subscription(token, `${base}/${token}`, owner);
      waiting.set(token, subscription);
      stats.outstanding = waiting.size;
      return subscription;
    },
    patience,
    get reachable() {
      return missesInARow < unreachableAfter;
    },
    get stats() {
      return { ...stats };
    },
    async close() {
      closed = true;
      for (const subscription of [...waiting.values()]) subscription.close();
    },
    async [Symbol.asyncDispose]() {
      await this.close();
    },
  };
  return { receiver, handle };
}

/**
 * The `data_id` a callback body names: a string, `undefined` when it names
 * none, `null` when the body is no JSON object or names one of another type.
 */
function claimedDataId(body: Uint8Array): string | undefined | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8.decode(body));
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return null;
  const dataId = (parsed as { data_id?: unknown }).data_id;
  if (dataId === undefined) return undefined;
  return typeof dataId === "string" ? dataId : null;
}

import type { Clock } from "../timing/clock.js";
import { PhaseTimer } from "./phase-timer.js";

/** Where a body's bytes come from, one chunk per read. */
export interface ChunkSource {
  /** The next chunk, or `done`; rejects when the source fails. */
  read(): Promise<ReadableStreamReadResult<Uint8Array>>;
  /** Stops the source for good (closing its connection). */
  cancel(reason?: unknown): unknown;
}

/** The limits one party puts on a body, and how it reports their breach. */
export interface BodyLimits {
  /** Fail once more than this many bytes came through. Default: no limit. */
  maxBytes?: number | undefined;
  /** The error of a body over `maxBytes`. */
  limitError?: ((limit: number) => unknown) | undefined;
  /** Turns an error from below (the source, or a limit set before this one) or this party's signal's reason into the one to report. */
  mapError?: ((error: unknown) => unknown) | undefined;
  /** Aborting it fails the body with `mapError(reason)`. */
  signal?: AbortSignal | undefined;
  /** Called once when the body ends, fails or is cancelled. */
  onEnd?: (() => void) | undefined;
}

/** What a {@link WatchedBody} enforces and how it reports. */
export interface WatchBodyOptions extends BodyLimits {
  clock: Clock;
  /** Fail when a read waits this long for bytes, ms. Default: no idle timeout. */
  idleTimeoutMs?: number | undefined;
  /** The error of an idle timeout. */
  idleError?: (() => unknown) | undefined;
  /**
   * The timer to time idle waits with: the one of the request the body
   * belongs to, so that the whole exchange runs on one timer. Disposed when
   * the body ends. Default: a timer of its own.
   */
  timer?: PhaseTimer | undefined;
}

/** A party that set limits, with the listener it put on its signal. */
type Party = BodyLimits & { onAbort?: () => void };

/** A web stream as a {@link ChunkSource}. */
function readerSource(body: ReadableStream<Uint8Array>): ChunkSource {
  const reader = body.getReader();
  return { read: () => reader.read(), cancel: (reason) => reader.cancel(reason) };
}

/**
 * A response body whose reading can neither hang nor grow without bound: an
 * idle timer runs while a read waits for bytes (not while the consumer is
 * busy), a byte limit stops a flood or a decompression bomb, an aborted
 * signal ends it at once, and every failure of the underlying source comes
 * out as the error `mapError` chooses. On any failure the source is
 * cancelled, which closes its connection.
 *
 * It is read once, one of two ways: as a web stream ({@link stream}), or
 * whole ({@link readAll}: the chunks straight from the source, without a
 * stream in between — what a JSON or error body needs). Until then, other
 * parties can add their limits in place ({@link addLimits}): one body then
 * enforces all of them, as nested wrappers would, without a second layer
 * for every chunk to pass through.
 */
export class WatchedBody {
  readonly #source: ChunkSource;
  readonly #idleMs: number | undefined;
  readonly #idleError: (() => unknown) | undefined;
  readonly #timer: PhaseTimer | undefined;
  /** Parties in the order they set limits: an error from below passes through each one's mapError. */
  readonly #parties: Party[] = [];
  #received = 0;
  #started = false;
  #state: "open" | "done" | "cancelled" | "failed" = "open";
  #failure: unknown;
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  #stream: ReadableStream<Uint8Array> | undefined;
  readonly #onIdle = () => this.#fail(this.#report(this.#idleError?.(), 1));

  constructor(body: ReadableStream<Uint8Array> | ChunkSource, options: WatchBodyOptions) {
    this.#source = body instanceof ReadableStream ? readerSource(body) : body;
    const idleMs = options.idleTimeoutMs;
    this.#idleMs = idleMs !== undefined && Number.isFinite(idleMs) ? idleMs : undefined;
    this.#idleError = options.idleError;
    if (this.#idleMs !== undefined) this.#timer = options.timer ?? new PhaseTimer(options.clock);
    else options.timer?.dispose();
    this.#join(options);
  }

  /** Where the body stands. */
  get state(): "open" | "done" | "cancelled" | "failed" {
    return this.#state;
  }

  /** Whether a read began or the body was cancelled: it can no longer be read whole. */
  get used(): boolean {
    return this.#started || this.#state === "cancelled";
  }

  /** The web stream, once {@link stream} made it. */
  get handedOut(): ReadableStream<Uint8Array> | undefined {
    return this.#stream;
  }

  /**
   * Puts `limits` on the body as well, in place; `false` (and nothing
   * changed) once reading has begun, or the body has ended or failed.
   */
  addLimits(limits: BodyLimits): boolean {
    if (this.#started || this.#state !== "open" || this.#stream?.locked) return false;
    this.#join(limits);
    return true;
  }

  /** The body as a web stream, pulled one chunk at a time (the same stream on every call). */
  stream(): ReadableStream<Uint8Array> {
    this.#stream ??= new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.#controller = controller;
          if (this.#state === "failed") controller.error(this.#failure);
        },
        pull: async (controller) => {
          let chunk: Uint8Array | undefined;
          try {
            chunk = await this.#next();
          } catch {
            return; // the failure has already errored the stream
          }
          if (chunk) controller.enqueue(chunk);
          else if (this.#state === "done") controller.close();
        },
        cancel: (reason) => this.cancel(reason),
      },
      { highWaterMark: 0 },
    );
    return this.#stream;
  }

  /**
   * Reads the whole body under the same limits, chunk by chunk straight
   * from the source; rejects with the reported error. Only once, and only
   * before any other read.
   */
  async readAll(): Promise<Uint8Array[]> {
    if (this.used) throw new TypeError("Body is unusable: Body has already been read");
    const chunks: Uint8Array[] = [];
    for (;;) {
      const chunk = await this.#next();
      if (chunk) chunks.push(chunk);
      else if (this.#state === "done") return chunks;
      else throw new TypeError("the body was cancelled while it was read");
    }
  }

  /** Stops the body for good: ends it for every party and cancels the source. */
  async cancel(reason?: unknown): Promise<void> {
    if (this.#state !== "open") return;
    this.#state = "cancelled";
    this.#end();
    await this.#source.cancel(reason);
  }

  /** The next chunk; `undefined` once the body is done or cancelled; throws the body's failure. */
  async #next(): Promise<Uint8Array | undefined> {
    this.#started = true;
    if (this.#state === "failed") throw this.#failure;
    if (this.#state !== "open") return undefined;
    if (this.#timer && this.#idleMs !== undefined) this.#timer.set(this.#idleMs, this.#onIdle);
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await this.#source.read();
    } catch (error) {
      this.#fail(this.#report(error, 0));
      throw this.#failure;
    } finally {
      this.#timer?.clear();
    }
    // The body may have failed or been cancelled while the read waited.
    const state = this.#state as WatchedBody["state"];
    if (state === "failed") throw this.#failure;
    if (state !== "open") return undefined;
    if (chunk.done) {
      this.#state = "done";
      this.#end();
      return undefined;
    }
    this.#received += chunk.value.byteLength;
    for (let i = 0; i < this.#parties.length; i++) {
      const party = this.#parties[i] as Party;
      if (party.maxBytes !== undefined && this.#received > party.maxBytes) {
        this.#fail(this.#report(party.limitError?.(party.maxBytes), i + 1));
        throw this.#failure;
      }
    }
    return chunk.value;
  }

  #join(limits: BodyLimits) {
    const index = this.#parties.length;
    const party: Party = { ...limits };
    this.#parties.push(party);
    const { signal } = limits;
    // A signal an earlier party already listens to: its listener reports through every party.
    if (!signal || this.#parties.some((other) => other !== party && other.signal === signal))
      return;
    party.onAbort = () => this.#fail(this.#report(signal.reason, index));
    if (signal.aborted) party.onAbort();
    else signal.addEventListener("abort", party.onAbort, { once: true });
  }

  /**
   * An error raised below party `from` (by the source when 0, by party
   * `from - 1`'s limit or timeout otherwise), as the parties from `from` on map it.
   */
  #report(error: unknown, from: number): unknown {
    let out = error;
    for (let i = from; i < this.#parties.length; i++) {
      const map = this.#parties[i]?.mapError;
      if (map) out = map(out);
    }
    return out;
  }

  #fail(error: unknown) {
    if (this.#state !== "open") return;
    this.#state = "failed";
    this.#failure = error;
    Promise.resolve(this.#source.cancel(error)).catch(() => {});
    this.#controller?.error(error);
    this.#end();
  }

  /** Once, when the body ends, fails or is cancelled: listeners off, timer gone, every party told. */
  #end() {
    this.#timer?.dispose();
    for (const party of this.#parties) {
      if (party.onAbort) party.signal?.removeEventListener("abort", party.onAbort);
    }
    for (const party of this.#parties) party.onEnd?.();
  }
}

/**
 * Wraps a response body in a {@link WatchedBody} and returns it as a web
 * stream: what the portable transport hands out for a body from a `fetch`
 * of unknown make.
 */
export function watchBody(
  body: ReadableStream<Uint8Array> | ChunkSource,
  options: WatchBodyOptions,
): ReadableStream<Uint8Array> {
  return new WatchedBody(body, options).stream();
}

/**
 * The watched body of responses made by the Node transport, by response:
 * `null` for a response without a body. The transport adds its limits
 * there, without touching (and so creating) the response's web stream.
 */
const WATCHED = new WeakMap<Response, WatchedBody | null>();

/** Records the watched body of a response (`null`: it has none). */
export function setWatchedBody(response: Response, body: WatchedBody | null): void {
  WATCHED.set(response, body);
}

/** The watched body of a response made by the Node transport; `undefined` for any other response. */
export function watchedBodyOf(response: Response): WatchedBody | null | undefined {
  return WATCHED.get(response);
}

import type { Clock } from "../timing/clock.js";
import { armTimer } from "./timer.js";

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

/** What {@link watchBody} enforces and how it reports. */
export interface WatchBodyOptions extends BodyLimits {
  clock: Clock;
  /** Fail when a read waits this long for bytes, ms. Default: no idle timeout. */
  idleTimeoutMs?: number | undefined;
  /** The error of an idle timeout. */
  idleError?: (() => unknown) | undefined;
}

/** Bodies made by {@link watchBody} that can still take more limits in place. */
const WATCHED = new WeakMap<ReadableStream<Uint8Array>, (limits: BodyLimits) => boolean>();

/** A web stream as a {@link ChunkSource}. */
function readerSource(body: ReadableStream<Uint8Array>): ChunkSource {
  const reader = body.getReader();
  return { read: () => reader.read(), cancel: (reason) => reader.cancel(reason) };
}

/**
 * Wraps a response body so that reading it can neither hang nor grow without
 * bound: an idle timer runs while a read waits for bytes (not while the
 * consumer is busy), a byte limit stops a flood or a decompression bomb, an
 * aborted signal ends it at once, and every failure of the underlying source
 * comes out as the error `mapError` chooses. On any failure the underlying
 * source is cancelled, which closes its connection.
 *
 * A body made here can take the limits of another party later, in place (see
 * {@link addBodyLimits}): one stream then enforces both, as two nested ones
 * would, without a second stream for every chunk to pass through.
 */
export function watchBody(
  body: ReadableStream<Uint8Array> | ChunkSource,
  options: WatchBodyOptions,
): ReadableStream<Uint8Array> {
  const source = body instanceof ReadableStream ? readerSource(body) : body;
  // Parties in the order they set limits: an error from below passes through each one's mapError.
  const parties: Array<BodyLimits & { onAbort?: () => void }> = [];
  let received = 0;
  let pulled = false;
  let failed = false;
  let ended = false;
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  /**
   * An error raised below party `from` (by the source when 0, by party
   * `from - 1`'s limit or timeout otherwise), as the parties from `from` on map it.
   */
  const report = (error: unknown, from: number) => {
    let out = error;
    for (let i = from; i < parties.length; i++) {
      const map = parties[i]?.mapError;
      if (map) out = map(out);
    }
    return out;
  };
  const end = () => {
    if (ended) return;
    ended = true;
    for (const party of parties) {
      if (party.onAbort) party.signal?.removeEventListener("abort", party.onAbort);
    }
    for (const party of parties) party.onEnd?.();
  };
  const fail = (error: unknown) => {
    if (failed || ended) return;
    failed = true;
    Promise.resolve(source.cancel(error)).catch(() => {});
    controller?.error(error);
    end();
  };
  const join = (limits: BodyLimits) => {
    const index = parties.length;
    const party: (typeof parties)[number] = { ...limits };
    parties.push(party);
    const { signal } = limits;
    if (!signal) return;
    party.onAbort = () => fail(report(signal.reason, index));
    if (signal.aborted) party.onAbort();
    else signal.addEventListener("abort", party.onAbort, { once: true });
  };

  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        join(options);
      },
      async pull(c) {
        pulled = true;
        const idleMs = options.idleTimeoutMs;
        const stopTimer =
          idleMs !== undefined && Number.isFinite(idleMs)
            ? armTimer(options.clock, idleMs, () => fail(report(options.idleError?.(), 1)))
            : undefined;
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await source.read();
        } catch (error) {
          fail(report(error, 0));
          return;
        } finally {
          stopTimer?.();
        }
        if (failed || ended) return;
        if (chunk.done) {
          c.close();
          end();
          return;
        }
        received += chunk.value.byteLength;
        for (let i = 0; i < parties.length; i++) {
          const limit = parties[i]?.maxBytes;
          if (limit !== undefined && received > limit) {
            fail(report(parties[i]?.limitError?.(limit), i + 1));
            return;
          }
        }
        c.enqueue(chunk.value);
      },
      cancel(reason) {
        end();
        return source.cancel(reason) as Promise<void>;
      },
    },
    { highWaterMark: 0 },
  );
  WATCHED.set(stream, (limits) => {
    if (pulled || failed || ended || stream.locked) return false;
    join(limits);
    return true;
  });
  return stream;
}

/**
 * Puts `limits` on a body made by {@link watchBody} that nobody has read
 * yet, in place; `false` (and nothing changed) for any other body, which
 * the caller then wraps in a {@link watchBody} of its own.
 */
export function addBodyLimits(body: ReadableStream<Uint8Array>, limits: BodyLimits): boolean {
  return WATCHED.get(body)?.(limits) ?? false;
}

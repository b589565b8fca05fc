import type { Clock } from "../timing/clock.js";
import { armTimer } from "./timer.js";

/** What {@link watchBody} enforces and how it reports. */
export interface WatchBodyOptions {
  clock: Clock;
  /** Fail when a read waits this long for bytes, ms. Default: no idle timeout. */
  idleTimeoutMs?: number | undefined;
  /** The error of an idle timeout. */
  idleError?: (() => unknown) | undefined;
  /** Fail once more than this many bytes came through. Default: no limit. */
  maxBytes?: number | undefined;
  /** The error of a body over `maxBytes`. */
  limitError?: ((limit: number) => unknown) | undefined;
  /** Turns an error of the underlying stream (or a signal's reason) into the one to report. */
  mapError?: ((error: unknown) => unknown) | undefined;
  /** Aborting it fails the body with `mapError(reason)`. */
  signal?: AbortSignal | undefined;
  /** Called once when the body ends, fails or is cancelled. */
  onEnd?: (() => void) | undefined;
}

/**
 * Wraps a response body so that reading it can neither hang nor grow without
 * bound: an idle timer runs while a read waits for bytes (not while the
 * consumer is busy), a byte limit stops a flood or a decompression bomb, an
 * aborted signal ends it at once, and every failure of the underlying stream
 * comes out as the error `mapError` chooses. On any failure the underlying
 * stream is cancelled, which closes its connection.
 */
export function watchBody(
  body: ReadableStream<Uint8Array>,
  options: WatchBodyOptions,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const mapError = options.mapError ?? ((error: unknown) => error);
  let received = 0;
  let failed = false;
  let ended = false;
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  const end = () => {
    if (ended) return;
    ended = true;
    options.signal?.removeEventListener("abort", onAbort);
    options.onEnd?.();
  };
  const fail = (error: unknown) => {
    if (failed || ended) return;
    failed = true;
    reader.cancel(error).catch(() => {});
    controller?.error(error);
    end();
  };
  const onAbort = () => fail(mapError(options.signal?.reason));

  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        if (options.signal?.aborted) onAbort();
        else options.signal?.addEventListener("abort", onAbort, { once: true });
      },
      async pull(c) {
        const idleMs = options.idleTimeoutMs;
        const stopTimer =
          idleMs !== undefined && Number.isFinite(idleMs)
            ? armTimer(options.clock, idleMs, () => fail(options.idleError?.()))
            : undefined;
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          fail(mapError(error));
          return;
        } finally {
          stopTimer?.();
        }
        if (failed) return;
        if (chunk.done) {
          c.close();
          end();
          return;
        }
        received += chunk.value.byteLength;
        const limit = options.maxBytes;
        if (limit !== undefined && received > limit) {
          fail(options.limitError?.(limit));
          return;
        }
        c.enqueue(chunk.value);
      },
      cancel(reason) {
        end();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

import { ConfigurationError } from "@mdkit/cluster";
import { QueueInputError } from "../errors.js";

/** Bounds on downloading a URL input. Sizes in bytes, times in ms. */
export interface DownloadLimits {
  /** Most bytes read from one URL. Default 4 GiB. */
  maxBytes: number;
  /** Time allowed for the whole download, from the request to the last byte. Default 600,000. */
  timeoutMs: number;
  /** Time allowed without a byte arriving (before the answer, or between chunks). Default 30,000. */
  idleTimeoutMs: number;
  /**
   * Redirects followed, each to an `http(s)` URL and never from `https` down
   * to plain `http`; 0 follows none. Default 5.
   */
  maxRedirects: number;
}

/** The limits a download has unless told otherwise. */
export const DEFAULT_DOWNLOAD_LIMITS: Readonly<DownloadLimits> = {
  maxBytes: 4 * 1024 ** 3,
  timeoutMs: 600_000,
  idleTimeoutMs: 30_000,
  maxRedirects: 5,
};

/**
 * `given` over the defaults, each limit checked: a positive number, and
 * `maxRedirects` a whole number from 0.
 *
 * @throws {ConfigurationError} naming a limit that is not.
 */
export function downloadLimitsOf(given: Partial<DownloadLimits> | undefined): DownloadLimits {
  const limits = { ...DEFAULT_DOWNLOAD_LIMITS, ...given };
  for (const [name, value] of Object.entries(limits)) {
    if (name === "maxRedirects") {
      if (!(Number.isSafeInteger(value) && value >= 0)) {
        throw new ConfigurationError(
          `download.maxRedirects must be a whole number from 0, not ${String(value)}`,
        );
      }
    } else if (!(typeof value === "number" && value > 0)) {
      throw new ConfigurationError(
        `download.${name} must be a positive number, not ${String(value)}`,
      );
    }
  }
  return limits;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Where a redirect from `current` to `location` may lead, the `followed`-th
 * of at most `maxRedirects`: an `http(s)` URL, never from `https` down to
 * plain `http` (a URL server must not steer a worker at will). Errors name
 * `what`, never a URL (it may hold a presigned token).
 *
 * @throws {QueueInputError} when the redirect may not be followed.
 */
export function redirectTarget(
  current: URL,
  location: string,
  followed: number,
  maxRedirects: number,
  what: string,
): URL {
  if (followed >= maxRedirects) {
    throw new QueueInputError(`${what}: more than ${maxRedirects} redirects`);
  }
  const next = URL.canParse(location, current) ? new URL(location, current) : undefined;
  if (!next || (next.protocol !== "http:" && next.protocol !== "https:")) {
    throw new QueueInputError(`${what}: a redirect to something other than an http(s) URL`);
  }
  if (current.protocol === "https:" && next.protocol === "http:") {
    throw new QueueInputError(`${what}: a redirect from https down to plain http`);
  }
  return next;
}

/** Fetches `url`, following its redirects by hand, as {@link redirectTarget} allows. */
async function fetchFollowing(
  url: string,
  what: string,
  maxRedirects: number,
  signal: AbortSignal,
): Promise<Response> {
  let current = new URL(url);
  for (let followed = 0; ; followed++) {
    const response = await fetch(current.href, { signal, redirect: "manual" });
    const location = REDIRECT_STATUSES.has(response.status)
      ? response.headers.get("location")
      : null;
    if (location === null) return response;
    await response.body?.cancel().catch(() => {});
    current = redirectTarget(current, location, followed, maxRedirects, what);
  }
}

/** A URL's body as it arrives, within the limits; `dispose()` once done with it. */
export interface BoundedDownload {
  /** The body: fails with the {@link QueueInputError} of the limit passed, or the caller's abort. */
  body: ReadableStream<Uint8Array>;
  /** Stops the timers and the request (idempotent). */
  dispose(): void;
}

/**
 * Downloads `url` for `what` (named in errors; never the URL, which may hold
 * a presigned token) with every limit enforced on the wire: a server that
 * sends more than `maxBytes`, trickles past `timeoutMs`, or goes silent for
 * `idleTimeoutMs` fails the download with a {@link QueueInputError} and the
 * connection is dropped, so nothing it does can fill the disk or hold a
 * worker forever. Redirects are followed by hand, within `maxRedirects`.
 */
export async function boundedDownload(
  url: string,
  what: string,
  limits: DownloadLimits,
  signal: AbortSignal | undefined,
): Promise<BoundedDownload> {
  const stop = new AbortController();
  const fail = (message: string) => stop.abort(new QueueInputError(`${what}: ${message}`));
  const whole = setTimeout(
    () => fail(`no complete download within ${limits.timeoutMs} ms`),
    limits.timeoutMs,
  );
  let idle: ReturnType<typeof setTimeout> | undefined;
  const quiet = () => {
    clearTimeout(idle);
    idle = setTimeout(
      () => fail(`nothing received for ${limits.idleTimeoutMs} ms`),
      limits.idleTimeoutMs,
    );
  };
  const dispose = () => {
    clearTimeout(whole);
    clearTimeout(idle);
    if (!stop.signal.aborted) stop.abort();
  };
  quiet();
  try {
    const combined = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
    const response = await fetchFollowing(url, what, limits.maxRedirects, combined);
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => {});
      throw new QueueInputError(`${what}: the server answered HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get("content-length") ?? Number.NaN);
    if (declared > limits.maxBytes) {
      await response.body.cancel().catch(() => {});
      throw new QueueInputError(`${what}: ${declared} bytes announced, over ${limits.maxBytes}`);
    }
    let received = 0;
    const counted = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received > limits.maxBytes) {
          const error = new QueueInputError(`${what}: more than ${limits.maxBytes} bytes sent`);
          stop.abort(error);
          controller.error(error);
          return;
        }
        quiet();
        controller.enqueue(chunk);
      },
      flush: dispose,
    });
    const body = response.body.pipeThrough(counted, { signal: stop.signal });
    return { body, dispose };
  } catch (error) {
    dispose();
    // A limit that stopped the request is the error to report, not the abort it caused.
    throw stop.signal.reason instanceof QueueInputError ? stop.signal.reason : error;
  }
}

import type { ConcurrencyLimiter } from "../limiter.js";

/**
 * A file's place on the gateway, from a limiter: taken before the upload,
 * given back while a "busy" answer is waited out (the wait occupies
 * nothing), and otherwise held until the file's result (or its callback) is in — the gateway
 * works on the file all that time, so giving the place back sooner would let
 * another upload in while the gateway is still full. Without a limiter
 * every call does nothing.
 */
export class GatewaySlot {
  private release: (() => void) | undefined;

  constructor(private readonly limiter: ConcurrencyLimiter | undefined) {}

  /** Waits for the place (at once without a limiter, or when already held). */
  async take(signal: AbortSignal | undefined): Promise<void> {
    if (!this.limiter || this.release) return;
    this.release = await this.limiter.acquire(signal);
  }

  /** Gives the place back, if held. */
  give(): void {
    const release = this.release;
    this.release = undefined;
    release?.();
  }

  /** The gateway answered "busy" while the place was held: the limit learns from it. */
  busy(): void {
    this.limiter?.busy();
  }

  /** The file's work on the gateway ended well: the limit may grow. */
  success(): void {
    this.limiter?.success();
  }
}

import type { CallbackOutcome, CallbackSubscription } from "../callback-receiver.js";

/** What the receiver does when a subscription changes. */
export interface SubscriptionOwner {
  /** The subscription is disposed: forget its token. */
  forget(token: string): void;
  /** A callback for it was accepted (the gateway reaches the receiver). */
  reached(): void;
  /** Its callback did not come in time. */
  missed(): void;
}

/**
 * One submission waiting for its callback. Its outcome settles once, and
 * only after `bind`: a callback that arrives before the upload's answer is
 * kept until the `data_id` is known, so that a body naming another
 * submission is refused rather than believed.
 */
export class Subscription implements CallbackSubscription {
  /** Whether a callback was accepted or refused (later ones are duplicates). */
  answered = false;
  private dataId: string | undefined;
  private early: { outcome: CallbackOutcome; claimed: string | undefined } | undefined;
  private settle!: (outcome: CallbackOutcome) => void;
  private settledWith: CallbackOutcome | undefined;
  private disposed = false;
  readonly outcome: Promise<CallbackOutcome>;

  constructor(
    readonly token: string,
    readonly url: string,
    private readonly owner: SubscriptionOwner,
  ) {
    this.outcome = new Promise((resolve) => {
      this.settle = resolve;
    });
  }

  /** The `data_id` it is bound to, once known. */
  get boundTo(): string | undefined {
    return this.dataId;
  }

  bind(dataId: string): void {
    if (this.dataId !== undefined) return;
    this.dataId = dataId;
    const early = this.early;
    if (!early) return;
    this.early = undefined;
    const mismatch = early.claimed !== undefined && early.claimed !== dataId;
    this.finish(mismatch ? "refused" : early.outcome);
  }

  /**
   * Records a callback's effect: `called` when its body may be about this
   * submission, `refused` otherwise. Returns whether it was refused.
   */
  deliver(outcome: "called" | "refused", claimed: string | undefined): boolean {
    this.answered = true;
    if (this.dataId === undefined) {
      this.early ??= { outcome, claimed };
      return outcome === "refused";
    }
    const refused = outcome === "refused" || (claimed !== undefined && claimed !== this.dataId);
    this.finish(refused ? "refused" : "called");
    return refused;
  }

  /** The receiver closed: the waiter goes back to polling. */
  close(): void {
    this.finish("closed");
  }

  late(): void {
    if (this.settledWith === undefined && !this.disposed) this.owner.missed();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.owner.forget(this.token);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  private finish(outcome: CallbackOutcome) {
    if (this.settledWith !== undefined) return;
    this.settledWith = outcome;
    if (outcome === "called") this.owner.reached();
    this.settle(outcome);
  }
}

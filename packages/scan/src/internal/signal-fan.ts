/**
 * Signals that follow one parent signal — a run's, followed by each file in
 * flight — through a single listener on the parent: a listener per file
 * would pile up on the run's signal (and trip Node's MaxListeners warning
 * past ten files in flight), `AbortSignal.any` would keep a weak reference
 * per file on it until collected.
 */
export class SignalFan {
  readonly #parent: AbortSignal;
  readonly #children = new Set<AbortController>();

  constructor(parent: AbortSignal) {
    this.#parent = parent;
    parent.addEventListener(
      "abort",
      () => {
        for (const child of this.#children) child.abort(parent.reason);
        this.#children.clear();
      },
      { once: true },
    );
  }

  /** A signal that aborts with the parent (at once if it has); `release` it when the work is done. */
  follow(): { signal: AbortSignal; release(): void } {
    const child = new AbortController();
    if (this.#parent.aborted) child.abort(this.#parent.reason);
    else this.#children.add(child);
    return { signal: child.signal, release: () => this.#children.delete(child) };
  }
}

/** A controller that aborts with `parent` at once when it already has (and then needs no listener). */
function childOf(parent: AbortSignal): AbortController {
  const child = new AbortController();
  if (parent.aborted) child.abort(parent.reason);
  return child;
}

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
    const child = childOf(this.#parent);
    if (!child.signal.aborted) this.#children.add(child);
    return { signal: child.signal, release: () => this.#children.delete(child) };
  }
}

/**
 * Why a {@link followSignal} child was stopped: made once, as building an
 * abort reason per stop (a `DOMException` with its stack) costs more than
 * the rest of the stop. Whoever sees it has stopped listening already.
 */
const STOPPED = new DOMException("the work was stopped", "AbortError");

/**
 * A signal that aborts with `parent` (at once if it has), through one
 * listener on it, or when `stop` is called; `stop` also removes that
 * listener. Cheaper than `AbortSignal.any` for a short piece of work that
 * the caller ends itself. Calling `stop` more than once is harmless.
 */
export function followSignal(parent: AbortSignal): { signal: AbortSignal; stop(): void } {
  const child = childOf(parent);
  if (child.signal.aborted) return { signal: child.signal, stop() {} };
  const follow = () => child.abort(parent.reason);
  parent.addEventListener("abort", follow, { once: true });
  return {
    signal: child.signal,
    stop() {
      parent.removeEventListener("abort", follow);
      child.abort(STOPPED);
    },
  };
}

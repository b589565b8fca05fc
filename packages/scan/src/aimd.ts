/**
 * The arithmetic of an adaptive concurrency limit (AIMD, as TCP does), as
 * pure state transitions: no timers, no slots, no I/O. {@link AdaptiveLimiter}
 * applies them to state in memory; a limiter shared by several processes
 * (`@mdkit/queue`) applies the same functions to state kept in Redis, so that
 * both adapt to the gateway in exactly the same way.
 */

/** Settings of the AIMD arithmetic, with every default filled in. */
export interface AimdSettings {
  /** Lowest limit. */
  readonly min: number;
  /** Highest limit. */
  readonly max: number;
  /** Factor applied on "busy" when fewer slots than the limit are in use (0–1). */
  readonly decrease: number;
  /** Growth at or above the learned ceiling, as a share of the normal growth (0 = no probing). */
  readonly probeRate: number;
  /** Decreases closer together than this count once, in ms. */
  readonly cooldownMs: number;
}

/** What the AIMD arithmetic remembers between events. */
export interface AimdState {
  /** The limit, fractional (slots are `Math.floor(value)`). */
  readonly value: number;
  /** The capacity learned from the last "busy" (`Infinity` before any). */
  readonly ceiling: number;
  /** When the last decrease counted, in ms (`-Infinity` before any). */
  readonly lastDecreaseMs: number;
}

/** Options of the AIMD arithmetic (those of `AdaptiveLimiter`). */
export interface AimdOptions {
  /** Starting limit. Default 4. */
  initial?: number | undefined;
  /** Lowest limit. Default 1. */
  min?: number | undefined;
  /** Highest limit. Default 64. */
  max?: number | undefined;
  /** Factor applied on "busy" when fewer slots than the limit are in use. Default 0.8. */
  decrease?: number | undefined;
  /** Growth at or above the learned ceiling, as a share of the normal growth. Default 1/64. */
  probeRate?: number | undefined;
  /** Decreases closer together than this count once, in ms. Default 200. */
  cooldownMs?: number | undefined;
}

/**
 * The settings and starting state for `options`, defaults filled in.
 *
 * @example
 * ```ts
 * const { settings, state } = aimdStart({ initial: 8, max: 32 });
 * aimdLimit(state); // 8
 * ```
 */
export function aimdStart(options: AimdOptions = {}): { settings: AimdSettings; state: AimdState } {
  const min = Math.max(1, options.min ?? 1);
  const max = Math.max(min, options.max ?? 64);
  return {
    settings: {
      min,
      max,
      decrease: options.decrease ?? 0.8,
      probeRate: options.probeRate ?? 1 / 64,
      cooldownMs: options.cooldownMs ?? 200,
    },
    state: {
      value: Math.min(max, Math.max(min, options.initial ?? 4)),
      ceiling: Number.POSITIVE_INFINITY,
      lastDecreaseMs: Number.NEGATIVE_INFINITY,
    },
  };
}

/**
 * The whole slots `state` allows.
 *
 * @example
 * ```ts
 * aimdLimit({ value: 7.9, ceiling: Infinity, lastDecreaseMs: -Infinity }); // 7
 * ```
 */
export function aimdLimit(state: AimdState): number {
  return Math.floor(state.value);
}

/**
 * A unit of work succeeded: the limit grows by 1/limit (about +1 per round of
 * work), and only by `probeRate` of that at or above the learned ceiling.
 *
 * @example
 * ```ts
 * const { settings, state } = aimdStart({ initial: 2 });
 * aimdOnSuccess(state, settings).value; // 2.5
 * ```
 */
export function aimdOnSuccess(state: AimdState, settings: AimdSettings): AimdState {
  const step = 1 / state.value;
  const value = Math.min(
    settings.max,
    state.value + (state.value < state.ceiling ? step : step * settings.probeRate),
  );
  return { ...state, value };
}

/**
 * The server said it is busy while `inUse` slots were taken (the refused one
 * included), at `nowMs`. The capacity was just found: the limit drops to
 * `inUse - 1` when the refusal came at the limit, or by `decrease` below it
 * (the server is loaded by others too), and `inUse - 1` is remembered as the
 * ceiling above which growth only probes. Decreases within `cooldownMs` of
 * the last one count once, so a burst of refusals is one signal.
 *
 * @example
 * ```ts
 * const { settings, state } = aimdStart({ initial: 8 });
 * aimdLimit(aimdOnBusy(state, settings, 8, Date.now())); // 7
 * ```
 */
export function aimdOnBusy(
  state: AimdState,
  settings: AimdSettings,
  inUse: number,
  nowMs: number,
): AimdState {
  if (nowMs - state.lastDecreaseMs < settings.cooldownMs) return state;
  const found = Math.max(settings.min, inUse - 1);
  const next = inUse >= aimdLimit(state) ? found : state.value * settings.decrease;
  return {
    value: Math.max(settings.min, Math.min(state.value, next)),
    ceiling: found,
    lastDecreaseMs: nowMs,
  };
}

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
  /** Multiplicative decreases (below the limit) closer together than this count once, in ms. */
  readonly cooldownMs: number;
}

/** What the AIMD arithmetic remembers between events. */
export interface AimdState {
  /** The limit, fractional (slots are `Math.floor(value)`). */
  readonly value: number;
  /** The capacity learned from the last "busy" (`Infinity` before any: the limit is in slow start). */
  readonly ceiling: number;
  /** When the last decrease happened, in ms (`-Infinity` before any). */
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
  /** Multiplicative decreases (below the limit) closer together than this count once, in ms. Default 200. */
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
 * A unit of work succeeded. Until the server first says it is busy (no
 * ceiling learned yet) the limit grows by a whole slot per success — it
 * doubles per round of work, as TCP's slow start does, so that a server
 * whose work takes seconds is measured in a few rounds rather than tens.
 * After that it grows by 1/limit (about +1 per round of work), and only by
 * `probeRate` of that at or above the learned ceiling.
 *
 * @example
 * ```ts
 * const { settings, state } = aimdStart({ initial: 2 });
 * aimdOnSuccess(state, settings).value; // 3 (slow start)
 * ```
 */
export function aimdOnSuccess(state: AimdState, settings: AimdSettings): AimdState {
  const slowStart = state.ceiling === Number.POSITIVE_INFINITY;
  const step = slowStart ? 1 : 1 / state.value;
  const value = Math.min(
    settings.max,
    state.value + (state.value < state.ceiling ? step : step * settings.probeRate),
  );
  return { ...state, value };
}

/**
 * The server said it is busy while `inUse` slots were taken (the refused one
 * included), at `nowMs`.
 *
 * At the limit, the capacity was just found: the limit drops to `inUse - 1`
 * and that is remembered as the ceiling above which growth only probes.
 * Every such refusal counts, however close together: the refused work gives
 * its slot back, so each refusal of a burst lowers the limit by one more,
 * down to what the server actually took (counting a burst once would leave
 * its other refused uploads to be refused again when they come back).
 *
 * Below the limit (the server is loaded by others too, or the work came
 * slower than the limit allowed) the server took at most `inUse - 1` of
 * ours: the limit drops to that at once, and is also multiplied by
 * `decrease` at most once per `cooldownMs` (the smaller of the two counts);
 * `inUse - 1` becomes the ceiling. A limit started far above the server's
 * capacity so falls to it with the first refusals, however slowly the work
 * arrives.
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
  const found = Math.max(settings.min, inUse - 1);
  if (inUse >= aimdLimit(state)) {
    return { value: Math.min(state.value, found), ceiling: found, lastDecreaseMs: nowMs };
  }
  const multiply = nowMs - state.lastDecreaseMs >= settings.cooldownMs;
  const shrunk = multiply ? state.value * settings.decrease : state.value;
  return {
    value: Math.max(settings.min, Math.min(found, shrunk)),
    ceiling: found,
    lastDecreaseMs: multiply ? nowMs : state.lastDecreaseMs,
  };
}

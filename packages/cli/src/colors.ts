import picocolors from "picocolors";
import type { TextSink } from "./io.js";

/** The colour functions of picocolors (identity functions when colours are off). */
export type Colors = ReturnType<typeof picocolors.createColors>;

type Env = Record<string, string | undefined>;

/**
 * Whether to colour what goes to `sink`: never with `NO_COLOR` (any
 * non-empty value, https://no-color.org); always with `FORCE_COLOR` (unless
 * `0` or `false`); otherwise only on a terminal that is not `TERM=dumb`.
 */
export function colorEnabled(sink: TextSink, env: Env): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  return sink.isTTY === true && env.TERM !== "dumb";
}

/** The colours for `sink` (see {@link colorEnabled}). */
export function colorsFor(sink: TextSink, env: Env): Colors {
  return picocolors.createColors(colorEnabled(sink, env));
}

/** The colour of a verdict: red infected, yellow suspicious or blocked, green clean, magenta failures. */
export function paintVerdict(colors: Colors, verdict: unknown, text: string): string {
  switch (verdict) {
    case "clean":
      return colors.green(text);
    case "infected":
      return colors.red(colors.bold(text));
    case "suspicious":
    case "blocked":
    case "incomplete":
      return colors.yellow(text);
    case "not scanned":
      return colors.dim(text);
    default:
      return colors.magenta(text);
  }
}

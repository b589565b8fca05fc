import { redactText } from "@mdkit/core";

/** Environment variables whose values are secrets: never printed, whatever prints them. */
export const SECRET_VARIABLES = [
  "MDKIT_CLUSTER_APIKEY",
  "MDKIT_CLUSTER_PASSWORD",
  "MDKIT_CM_CLIENT_SECRET",
  "MDKIT_CORE_APIKEY",
] as const;

/**
 * A function that replaces every secret of `env` in a text (with core's
 * `redactText`). mdkit's errors are redacted already; this is the CLI's
 * second line of defence for text it did not build itself (messages of other
 * libraries, echoed arguments).
 */
export function secretScrubber(env: Record<string, string | undefined>): (text: string) => string {
  const secrets = SECRET_VARIABLES.map((name) => env[name]).filter(
    (value): value is string => !!value,
  );
  if (secrets.length === 0) return (text) => text;
  return (text) => redactText(text, secrets);
}

import { registerSecret, secretRedactor } from "@mdkit/core";

/** Environment variables whose values are secrets: never printed, whatever prints them. */
export const SECRET_VARIABLES = [
  "MDKIT_CLUSTER_APIKEY",
  "MDKIT_CLUSTER_PASSWORD",
  "MDKIT_CM_CLIENT_SECRET",
  "MDKIT_CORE_APIKEY",
] as const;

type Env = Record<string, string | undefined>;

/**
 * The environment as the CLI uses it: every `MDKIT_*` value trimmed of
 * surrounding whitespace (a secret read from a file usually ends with a
 * newline; it is sent trimmed, and scrubbed trimmed, which covers the
 * untrimmed value too). Other variables are left as they are.
 */
export function trimmedEnv(env: Env): Env {
  const out: Env = { ...env };
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith("MDKIT_") && typeof value === "string") out[name] = value.trim();
  }
  return out;
}

/**
 * A function that replaces every secret of `env` and every secret
 * registered in the process (the tokens and session ids `@mdkit/auth`
 * obtains, every credential header sent) in a text, in every encoding a
 * server could echo it in (core's `secretRedactor`). The environment's
 * secrets are registered too, so every mdkit error built later scrubs them.
 * mdkit's errors are redacted already; this is the CLI's second line of
 * defence for everything it prints: results on stdout (threat or rule names
 * a server chose), messages of other libraries, echoed arguments.
 */
export function secretScrubber(env: Env): (text: string) => string {
  const secrets = SECRET_VARIABLES.map((name) => env[name]?.trim()).filter(
    (value): value is string => !!value,
  );
  for (const secret of secrets) registerSecret(secret);
  return secretRedactor(secrets);
}

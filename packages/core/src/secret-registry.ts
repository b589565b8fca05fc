/**
 * The process-wide secret registry. Every credential an mdkit client is
 * given or obtains (API keys, passwords, client secrets, bearer tokens,
 * session ids, every credential header the transport sends) is registered
 * here once, and every redaction function and every `MdkitError` redacts
 * what is registered, besides the secrets passed to it explicitly. So an
 * error built by a client that never saw a secret (the inner Core error of a
 * direct-connection tunnel echoing the outer bearer token) is redacted too.
 *
 * The registry lives on a `Symbol.for` global, so that two copies of
 * `@mdkit/core` in one process (a bundle next to an installed copy, two
 * versions in `node_modules`) share it.
 */

/**
 * Registered values shorter than this, after trimming, are ignored:
 * redacting a five-letter word everywhere in a process would shred ordinary
 * text. Such short secrets are still redacted where they are passed
 * explicitly (every mdkit client passes the credentials it sent).
 */
export const MIN_REGISTERED_SECRET_LENGTH = 6;

/**
 * How many secrets the registry keeps: the most recently registered (or
 * registered again) ones. A long-running process that rotates tokens does
 * not grow without limit; a token evicted after 256 newer ones is long
 * expired.
 */
export const MAX_REGISTERED_SECRETS = 256;

const REGISTRY = Symbol.for("@mdkit/secret-registry");

/** The shape kept on the global; shared by every copy of core, so only ever extended. */
interface Registry {
  /** Registered values in order of registration, most recent last. */
  readonly values: Set<string>;
  /** Bumped whenever the set of values changes (not when only their order does). */
  version: number;
}

function registry(): Registry {
  const holder = globalThis as unknown as Record<symbol, Registry | undefined>;
  let found = holder[REGISTRY];
  if (!found) {
    found = { values: new Set(), version: 0 };
    Object.defineProperty(globalThis, REGISTRY, { value: found, enumerable: false });
  }
  return found;
}

/**
 * Registers a secret for redaction everywhere in this process: in every
 * mdkit error (message, `String`, `JSON.stringify`, `util.inspect`, stack,
 * causes), every redaction function and the CLI's output, in every encoding
 * a server could echo it in. The value is trimmed first (a secret read from
 * a file often ends with a newline; the trimmed value also covers the
 * untrimmed one). Values shorter than {@link MIN_REGISTERED_SECRET_LENGTH}
 * and non-strings are ignored; only the {@link MAX_REGISTERED_SECRETS} most
 * recent values are kept.
 *
 * `@mdkit/auth` and the client transport register every credential they
 * handle; call this for secrets mdkit never sees but might echo (say, a
 * password you put in a scan's `archivepwd`).
 *
 * @example
 * ```ts
 * import { registerSecret } from "@mdkit/core";
 * registerSecret(process.env.ARCHIVE_PASSWORD);
 * ```
 */
export function registerSecret(value: string | null | undefined): void {
  if (typeof value !== "string") return;
  const secret = value.trim();
  if (secret.length < MIN_REGISTERED_SECRET_LENGTH) return;
  const { values } = registry();
  if (values.has(secret)) {
    // Refresh its place in the eviction order; the set itself is unchanged.
    values.delete(secret);
    values.add(secret);
    return;
  }
  values.add(secret);
  for (const oldest of values) {
    if (values.size <= MAX_REGISTERED_SECRETS) break;
    values.delete(oldest);
  }
  registry().version++;
}

/**
 * The registered secrets, oldest first (trimmed, as registered). For
 * redaction code outside mdkit; mdkit's own redaction reads them already.
 *
 * @example
 * ```ts
 * const secrets = registeredSecrets();
 * ```
 */
export function registeredSecrets(): readonly string[] {
  return [...registry().values];
}

/** A number that changes whenever the set of registered secrets does (for caches). */
export function registryVersion(): number {
  return registry().version;
}

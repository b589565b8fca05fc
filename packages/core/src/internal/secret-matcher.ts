/**
 * A compiled search for a set of secrets in all their forms. Built once per
 * set (the forms of each secret are compiled once per process) and cheap to
 * run on text that holds no secret: one combined search for the anchors of
 * every form decides whether any secret's own expression needs to run.
 */
import { escapeRegex, type SecretForm, secretForms } from "./secret-forms.js";

interface CompiledSecret {
  /** Every form of the secret, longest first, as one global expression. */
  readonly expression: RegExp;
  /** The anchors of its forms; empty when a form has none (then it is always searched). */
  readonly anchors: readonly string[];
}

/** How many compiled secrets are kept for reuse (least recently used evicted first). */
const COMPILED_LIMIT = 1024;
const compiled = new Map<string, CompiledSecret>();

/**
 * Anchors per combined search. V8 runs a literal alternation of a few
 * hundred words as native code in about a microsecond per line; far larger
 * ones fall back to its interpreter and get twenty times slower, so a large
 * registry is searched in several parts.
 */
const ANCHORS_PER_SEARCH = 256;

/** A test of whether a text contains any of `anchors`, in searches of bounded size. */
function anchorGate(anchors: readonly string[]): ((text: string) => boolean) | undefined {
  if (anchors.length === 0) return undefined;
  const searches: RegExp[] = [];
  for (let i = 0; i < anchors.length; i += ANCHORS_PER_SEARCH) {
    const part = anchors.slice(i, i + ANCHORS_PER_SEARCH);
    searches.push(new RegExp(part.map(escapeRegex).join("|")));
  }
  return (text) => searches.some((search) => search.test(text));
}

function compile(secret: string): CompiledSecret {
  const cached = compiled.get(secret);
  if (cached) {
    compiled.delete(secret);
    compiled.set(secret, cached);
    return cached;
  }
  const forms: SecretForm[] = secretForms(secret).sort((a, b) => b.source.length - a.source.length);
  const entry: CompiledSecret = {
    expression: new RegExp(forms.map((form) => form.source).join("|"), "g"),
    anchors: forms.some((form) => !form.anchor) ? [] : forms.map((form) => form.anchor),
  };
  compiled.set(secret, entry);
  for (const oldest of compiled.keys()) {
    if (compiled.size <= COMPILED_LIMIT) break;
    compiled.delete(oldest);
  }
  return entry;
}

/**
 * A function replacing every form of every secret in a text with
 * `replacement`. Longer secrets are replaced first, so a secret that
 * contains another is replaced whole.
 */
export function createSecretMatcher(
  secrets: Iterable<string>,
  replacement: string,
): (text: string) => string {
  const entries = [...new Set(secrets)]
    .sort((a, b) => b.length - a.length)
    .map((secret) => compile(secret));
  if (entries.length === 0) return (text) => text;
  const anchors = [...new Set(entries.flatMap((entry) => entry.anchors))].sort(
    (a, b) => b.length - a.length,
  );
  const gate = anchorGate(anchors);
  const alwaysSearched = entries.some((entry) => entry.anchors.length === 0);
  return (text) => {
    if (!text) return text;
    const anchored = gate?.(text) ?? false;
    if (!anchored && !alwaysSearched) return text;
    let out = text;
    for (const entry of entries) {
      const searched =
        entry.anchors.length === 0 ||
        (anchored && entry.anchors.some((anchor) => out.includes(anchor)));
      if (searched) out = out.replace(entry.expression, replacement);
    }
    return out;
  };
}

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * Gives a credential-holding object safe renderings: `toString()`,
 * `toJSON()` and Node's `util.inspect` all show `description` only. The
 * secrets themselves live in closures, never in properties.
 */
export function withSafeRendering<T extends object>(
  target: T,
  description: () => Record<string, unknown>,
): T {
  const render = () => {
    const fields = Object.entries(description())
      .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
      .join(", ");
    return `${(target as { constructor?: { name?: string } }).constructor?.name ?? "Auth"} { ${fields} }`;
  };
  Object.defineProperties(target, {
    toString: { value: render, enumerable: false },
    toJSON: { value: description, enumerable: false },
    [INSPECT]: { value: render, enumerable: false },
  });
  return target;
}

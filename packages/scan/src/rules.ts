import { type ClusterClient, type Rule, unwrap } from "@mdkit/cluster";
import { FileTooLargeError } from "./errors.js";

/**
 * Checks a file's size against its rule's `max_file_size` before any byte is
 * sent. `rules` is the gateway's rule list (fetched once by the caller).
 * Without a rule name, or when the rule is not listed, nothing is checked.
 *
 * @example
 * ```ts
 * const rules = [{ name: "strict", max_file_size: 1_048_576 }];
 * checkFileSize(rules, "strict", 1_000, "notes.txt"); // fine
 * checkFileSize(rules, "strict", 5_000_000, "big.iso");
 * // throws FileTooLargeError: big.iso is 5000000 bytes, over the 1048576-byte limit
 * // of rule "strict"; nothing was uploaded
 * ```
 */
export function checkFileSize(
  rules: readonly Rule[],
  ruleName: string | undefined,
  size: number,
  name?: string,
): void {
  if (!ruleName) return;
  const rule = rules.find((r) => r.name === ruleName);
  const max = rule?.max_file_size;
  if (typeof max === "number" && max > 0 && size > max) {
    throw new FileTooLargeError(
      `${name ?? "file"} is ${size} bytes, over the ${max}-byte limit of rule "${ruleName}"; nothing was uploaded`,
      size,
      max,
    );
  }
}

/** Fetches the rule list once; later calls share the first answer. */
export function ruleCache(
  client: ClusterClient,
  signal?: AbortSignal,
): () => Promise<readonly Rule[]> {
  let rules: Promise<readonly Rule[]> | undefined;
  return () => {
    rules ??= unwrap(client.GET("/file/rules", { signal })).catch((error) => {
      rules = undefined;
      throw error;
    });
    return rules;
  };
}

/**
 * `--include` / `--exclude` patterns with the meaning `.gitignore` gives
 * them, turned into the picomatch globs the folder walk applies to paths
 * relative to the scanned folder (`/`-separated):
 * - a pattern without a slash matches at any depth: `*.txt` is any `.txt`
 *   file, `tmp` any entry named `tmp`;
 * - a pattern with a slash at its start or in its middle is anchored to the
 *   scanned folder: `/build`, `docs/*.md`;
 * - a pattern that matches a folder matches everything in it (`--include docs`
 *   scans all of `docs/`, `--exclude node_modules` skips them all);
 * - a trailing slash is dropped (`tmp/` is `tmp`); `**` crosses folders.
 */
export function gitignoreGlobs(patterns: readonly string[]): string[] {
  return patterns.flatMap((raw) => {
    let pattern = raw.trim().replace(/^(?:\.\/)+/, "");
    const rooted = pattern.startsWith("/");
    pattern = pattern.replace(/^\/+/, "").replace(/\/+$/, "");
    if (pattern === "") return [];
    const base = rooted || pattern.includes("/") ? pattern : `**/${pattern}`;
    return base.endsWith("/**") ? [base] : [base, `${base}/**`];
  });
}

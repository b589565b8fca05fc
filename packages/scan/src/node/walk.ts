import { lstat, opendir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import picomatch from "picomatch";

/** Options of {@link walkFiles}. */
export interface WalkOptions {
  /** Globs (relative to the root, `/`-separated) a file must match. Default: every file. */
  include?: string[];
  /** Globs of files or directories to skip. */
  exclude?: string[];
  /** Include dot-files and dot-directories. Default false. */
  dot?: boolean;
}

/**
 * Every regular file under `root`, depth first, as absolute paths, filtered
 * by include/exclude globs (picomatch syntax, e.g. `**\/*.pdf`). Symbolic
 * links are not followed, so a link cannot lead the walk out of `root`.
 *
 * @example
 * ```ts
 * for await (const path of walkFiles("./inbox", { include: ["**\/*.{pdf,docx}"], exclude: ["**\/tmp/**"] })) ...
 * ```
 */
export async function* walkFiles(root: string, options: WalkOptions = {}): AsyncGenerator<string> {
  const include = options.include?.length
    ? picomatch(options.include, { dot: options.dot ?? false })
    : undefined;
  const exclude = options.exclude?.length ? picomatch(options.exclude, { dot: true }) : undefined;
  const rel = (path: string) => relative(root, path).split(sep).join("/");
  const info = await lstat(root);
  if (info.isFile()) {
    yield root;
    return;
  }
  const stack = [root];
  while (stack.length) {
    const dir = stack.pop() as string;
    const entries: string[] = [];
    const subdirs: string[] = [];
    for await (const entry of await opendir(dir)) {
      if (!options.dot && entry.name.startsWith(".")) continue;
      const path = join(dir, entry.name);
      const relPath = rel(path);
      if (exclude && (exclude(relPath) || exclude(`${relPath}/`))) continue;
      if (entry.isDirectory()) subdirs.push(path);
      else if (entry.isFile() && (!include || include(relPath))) entries.push(path);
    }
    entries.sort();
    yield* entries;
    stack.push(...subdirs.sort().reverse());
  }
}

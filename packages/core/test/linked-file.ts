import { rename, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * A file `target.txt` in `dir` holding `content`, reached through the symbolic
 * link `link.txt`; `repoint(to)` swaps the link atomically for one to `to`.
 */
export async function linkedFileIn(dir: string, content: string) {
  const target = join(dir, "target.txt");
  const link = join(dir, "link.txt");
  await writeFile(target, content);
  await symlink(target, link);
  return {
    link,
    target,
    async repoint(to: string) {
      const next = join(dir, "next-link");
      await symlink(to, next);
      await rename(next, link);
    },
  };
}

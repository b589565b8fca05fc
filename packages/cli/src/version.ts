import { createRequire } from "node:module";

/** The version of `@mdkit/cli`, from its manifest. */
export const VERSION = (createRequire(import.meta.url)("../package.json") as { version: string })
  .version;

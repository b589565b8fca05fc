// Imports every JavaScript entry of the installed @mdkit packages, as a user's
// ESM code would, and requires it, as CommonJS code can where the runtime
// supports require(esm); prints how many names each way gives (or the error).
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const describe = (error) => `${error?.code ?? error?.name}: ${error?.message}`;
const results = {};
for (const dir of readdirSync("node_modules/@mdkit")) {
  const manifest = JSON.parse(readFileSync(`node_modules/@mdkit/${dir}/package.json`, "utf8"));
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    if (typeof target === "string") continue; // package.json, openapi.yaml
    const specifier = subpath === "." ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
    const result = {};
    try {
      result.import = Object.keys(await import(specifier)).length;
    } catch (error) {
      result.import = describe(error);
    }
    try {
      result.require = Object.keys(require(specifier)).length;
    } catch (error) {
      result.require = describe(error);
    }
    results[specifier] = result;
  }
}
console.log(JSON.stringify(results));

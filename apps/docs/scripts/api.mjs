/**
 * The API reference: TypeDoc over the published packages, each converted with
 * its own tsconfig and the entry points its `exports` declare (TypeDoc maps the
 * built `.d.ts` files back to `src` through their declaration maps, so the
 * packages must be built first).
 */
import {
  Application,
  DeclarationReflection,
  OptionDefaults,
  PackageJsonReader,
  PageEvent,
  ProjectReflection,
  ReflectionKind,
  TSConfigReader,
  TypeDocReader,
} from "typedoc";
import { apiPackageDirs } from "./site.mjs";

/** Placeholder TypeDoc writes in links to the guides; replaced per page by a relative path. */
const SITE_ROOT = "__MDKIT_SITE_ROOT__/";

/**
 * Generates the API reference into `outDir`.
 *
 * @param {string} outDir absolute directory to write the HTML into.
 * @returns {Promise<{ modules: Map<string, string>, warnings: number }>} the URL (relative to
 *   `outDir`) of each package's module page by package name, and the number of warnings.
 * @example
 * const { modules } = await buildApiReference("/srv/site/api");
 * modules.get("@mdkit/scan"); // "modules/_mdkit_scan.html"
 */
export async function buildApiReference(outDir) {
  // No ArgumentsReader: the build script's own argv is not TypeDoc's.
  const readers = [new TypeDocReader(), new PackageJsonReader(), new TSConfigReader()];
  const app = await Application.bootstrapWithPlugins(
    {
      name: "mdkit API reference",
      entryPointStrategy: "packages",
      entryPoints: apiPackageDirs,
      packageOptions: {
        // openapi-typescript writes `@description` in the generated schema types.
        blockTags: [...OptionDefaults.blockTags, "@description"],
        // Source links would need a hosted repository; "Defined in" paths mean little to users.
        disableSources: true,
      },
      readme: "none",
      out: outDir,
      navigationLinks: { Guides: `${SITE_ROOT}index.html` },
      githubPages: false,
      cleanOutputDir: true,
    },
    readers,
  );

  /** @type {Map<string, string>} */
  const modules = new Map();
  app.renderer.on(PageEvent.END, (page) => {
    const model = page.model;
    const isPackage =
      model instanceof DeclarationReflection &&
      model.kindOf(ReflectionKind.Module) &&
      model.parent instanceof ProjectReflection;
    if (isPackage) {
      modules.set(model.name, page.url);
    }
    const depth = page.url.split("/").length - 1;
    if (page.contents) {
      page.contents = page.contents.replaceAll(SITE_ROOT, "../".repeat(depth + 1));
    }
  });

  const project = await app.convert();
  if (!project) throw new Error("[@mdkit/docs] TypeDoc could not convert the packages");
  await app.generateOutputs(project);
  if (app.logger.hasErrors()) throw new Error("[@mdkit/docs] TypeDoc reported errors");
  return { modules, warnings: app.logger.warningCount };
}

/**
 * The API reference: TypeDoc over every published entry point (one program,
 * the packages' TypeScript sources through their `@mdkit/source` export
 * condition), written as Markdown by typedoc-plugin-markdown with its
 * VitePress theme: one page per entry, named after it (`@mdkit/scan/node`).
 *
 * The types openapi-typescript generates from the specs (`paths`,
 * `components`, `operations`, the operation table) are listed but not
 * expanded: the HTTP reference documents each operation and schema.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  Application,
  Comment,
  Converter,
  DeclarationReflection,
  IntrinsicType,
  OptionDefaults,
  PageEvent,
  ReflectionKind,
} from "typedoc";
import ts from "typescript";
import { loadSpecs } from "./http/spec-model.mjs";
import { headingId } from "./markdown.mjs";
import { apiEntries } from "./packages.mjs";
import { referenceDir, repoRoot } from "./site.mjs";

/** Output directory of the API pages. */
export const apiDir = join(referenceDir, "api");

/**
 * @typedef {object} ApiPage
 * @property {string} text the entry's name (`@mdkit/scan/node`).
 * @property {string} link its site path (`/reference/api/@mdkit/scan/node`).
 * @property {string} importPath what users import.
 */

/**
 * @typedef {object} ApiReference
 * @property {ApiPage[]} pages one per entry point.
 * @property {number} warnings TypeDoc's warnings.
 * @property {string[]} gaps exports without a TSDoc comment, functions without an `@example`.
 * @property {import("./http/used-by.mjs").Declaration[]} declarations every documented export, where it is documented.
 */

/**
 * Generates the API pages into `src/reference/api/`.
 *
 * @returns {Promise<ApiReference>}
 * @example
 * const { pages } = await buildApiReference();
 * pages.find((page) => page.text === "@mdkit/scan/node")?.link; // "/reference/api/@mdkit/scan/node"
 */
export async function buildApiReference() {
  const entries = apiEntries();
  await rm(apiDir, { recursive: true, force: true });
  // Only the options given here: no typedoc.json, tsconfig or command-line reading.
  const app = await Application.bootstrapWithPlugins(
    /** @type {import("typedoc").TypeDocOptions} The plugins' options are not in TypeDoc's own type. */ ({
      name: "API reference",
      entryPoints: entries.map((entry) => entry.source),
      entryPointStrategy: "resolve",
      plugin: ["typedoc-plugin-markdown", "typedoc-vitepress-theme"],
      out: apiDir,
      docsRoot: join(referenceDir, ".."),
      sidebar: { autoConfiguration: false },
      readme: "none",
      // openapi-typescript writes `@description` in the generated schema types.
      blockTags: [...OptionDefaults.blockTags, "@description"],
      // Source links would need a hosted repository; "Defined in" paths mean little to readers.
      disableSources: true,
      outputFileStrategy: "modules",
      useCodeBlocks: true,
      parametersFormat: "table",
      interfacePropertiesFormat: "table",
      classPropertiesFormat: "table",
      typeDeclarationFormat: "table",
      indexFormat: "table",
      hidePageHeader: true,
      // What readers look for first: the functions, then the classes and types they use.
      groupOrder: ["Functions", "Classes", "Interfaces", "Type Aliases", "Variables", "*"],
      sanitizeComments: true,
      excludePrivate: true,
      excludeInternal: true,
      cleanOutputDir: true,
      // The packages are type-checked by their own `typecheck` task; checking again here triples the time.
      skipErrorChecking: true,
    }),
    [],
  );
  app.options.setCompilerOptions(
    entries.map((entry) => entry.source),
    compilerOptions(),
    undefined,
  );
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) =>
    linkToHttpReference(context.project),
  );

  /** @type {Map<string, string>} module name → page URL relative to the API directory */
  const urls = new Map();
  app.renderer.on(PageEvent.END, (page) => {
    if (page.model instanceof DeclarationReflection && page.model.kindOf(ReflectionKind.Module)) {
      urls.set(page.model.name, page.url);
    }
  });

  const project = await app.convert();
  if (!project || app.logger.hasErrors()) {
    throw new Error("[@mdkit/docs] TypeDoc could not convert the packages (see its errors above)");
  }
  const gaps = tsdocGaps(project);
  const declared = (project.children ?? []).flatMap((module) =>
    (module.children ?? [])
      .filter((child) => !child.kindOf(ReflectionKind.Reference))
      .map((child) => ({ module: module.name, name: child.name })),
  );
  await app.generateOutputs(project);
  if (app.logger.hasErrors()) throw new Error("[@mdkit/docs] TypeDoc reported errors");

  /** @type {ApiPage[]} */
  const pages = entries.map((entry) => {
    const url = urls.get(entry.moduleName);
    if (!url) throw new Error(`[@mdkit/docs] TypeDoc made no page for ${entry.moduleName}`);
    return {
      text: entry.moduleName,
      link: `/reference/api/${url.replace(/\.md$/, "")}`,
      importPath: entry.importPath,
    };
  });
  const summaries = new Map(
    (project.children ?? []).map((module) => [
      module.name,
      Comment.combineDisplayParts(module.comment?.summary ?? []).split(/\n\s*\n/)[0] ?? "",
    ]),
  );
  await writeIndex(
    pages.map((page, index) => ({
      ...page,
      summary: summaries.get(page.text) || (entries[index]?.description ?? ""),
    })),
  );
  const linkOf = new Map(pages.map((page) => [page.text, page.link]));
  const declarations = declared.map(({ module, name }) => ({
    module,
    name,
    link: `${linkOf.get(module)}#${headingId(name)}`,
  }));
  pages.sort((a, b) => a.text.localeCompare(b.text));
  return { pages, warnings: app.logger.warningCount, gaps, declarations };
}

/** The repository's compiler options, resolving workspace packages to their TypeScript sources. */
function compilerOptions() {
  const file = join(repoRoot, "tsconfig.base.json");
  const { config } = ts.readConfigFile(file, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, repoRoot, undefined, file);
  return {
    ...parsed.options,
    customConditions: ["@mdkit/source"],
    noEmit: true,
    composite: false,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
  };
}

/** The spec each client package is generated from: `@mdkit/<name>` ↔ `specs/<name>.yaml`. */
const specOf = (/** @type {string} */ packageName) => packageName.replace(/^@mdkit\//, "");

/**
 * Links the API reference to the HTTP reference, which documents the specs
 * operation by operation: the types generated from a spec are listed without
 * their members (thousands of lines of schema), and a type alias naming one
 * of the spec's schemas (`AnalysisResult`) links to that schema's fields.
 *
 * @param {import("typedoc").ProjectReflection} project
 */
function linkToHttpReference(project) {
  const schemas = new Map(
    loadSpecs().map((spec) => [
      spec.name,
      new Set(Object.keys(spec.doc.components?.schemas ?? {})),
    ]),
  );
  for (const reflection of Object.values(project.reflections)) {
    if (!(reflection instanceof DeclarationReflection)) continue;
    if (reflection.kindOf(ReflectionKind.Reference)) continue;
    if (!(reflection.parent instanceof DeclarationReflection)) continue;
    if (!reflection.parent.kindOf(ReflectionKind.Module)) continue;
    const id = project.getSymbolIdFromReflection(reflection);
    if (!id) continue;
    const spec = specOf(id.packageName);
    if (id.packagePath.includes("/generated/")) {
      for (const child of [...(reflection.children ?? [])]) project.removeReflection(child);
      if (reflection.kindOf(ReflectionKind.Variable)) {
        reflection.type = new IntrinsicType("OperationTable");
      }
      reflection.comment = new Comment([
        {
          kind: "text",
          text:
            `Generated from \`specs/${spec}.yaml\` by openapi-typescript (\`pnpm generate\`); ` +
            `it types every call of the client. Each operation and schema it describes is documented in the ` +
            `[HTTP reference](/reference/http/${spec}/).`,
        },
      ]);
      continue;
    }
    // `type AnalysisResult = Schemas["AnalysisResult"]`: the schema's fields are on the HTTP reference.
    const named = reflection.kindOf(ReflectionKind.TypeAlias)
      ? /\["(\w+)"\]$/.exec(String(reflection.type?.toString()))?.[1]
      : undefined;
    if (named && schemas.get(spec)?.has(named)) {
      const link = `/reference/http/${spec}/schemas#${headingId(named)}`;
      reflection.comment ??= new Comment();
      reflection.comment.summary.push({
        kind: "text",
        text: `\n\nThe \`${named}\` schema of \`specs/${spec}.yaml\`: its fields are in the [HTTP reference](${link}).`,
      });
    }
  }
}

/**
 * Exported declarations without a TSDoc comment, and exported functions
 * without an `@example`, as `module: name (what is missing)`.
 *
 * @param {import("typedoc").ProjectReflection} project
 */
function tsdocGaps(project) {
  /** @type {string[]} */
  const gaps = [];
  for (const module of project.children ?? []) {
    for (const child of module.children ?? []) {
      if (child.kindOf(ReflectionKind.Reference)) continue;
      const signatures = child.signatures ?? [];
      const comment = child.comment ?? signatures.find((signature) => signature.comment)?.comment;
      if (!comment) gaps.push(`${module.name}: ${child.name} (no comment)`);
      else if (child.kindOf(ReflectionKind.Function) && !comment.getTag("@example")) {
        gaps.push(`${module.name}: ${child.name} (no @example)`);
      }
    }
  }
  return gaps;
}

/**
 * The API reference's own index: every entry, what it is for (the first
 * paragraph of its module comment), alphabetically.
 *
 * @param {Array<ApiPage & { summary: string }>} pages
 */
async function writeIndex(pages) {
  const rows = [...pages]
    .sort((a, b) => a.text.localeCompare(b.text))
    .map((page) => `| [${page.text}](${page.link}) | ${page.summary.replace(/\s*\n\s*/g, " ")} |`);
  const markdown = `# API reference

Generated from the TSDoc comments of the published packages, one page per
entry point. Each page lists every export with its parameters, options (and
their defaults) and examples; names re-exported from another package link to
the page that documents them.

| entry | what it is |
| --- | --- |
${rows.join("\n")}
`;
  await mkdir(apiDir, { recursive: true });
  await writeFile(join(apiDir, "index.md"), markdown);
}

/**
 * The TypeScript of the site is real: every ```ts block of every guide, and
 * the typed client call shown for every HTTP operation, is compiled (strict,
 * as the repository compiles) against the packages as users get them (their
 * built declarations). The blocks of the guides marked `runs` in
 * `scripts/site.mjs` also run, each as its own Node program, against the
 * simulator on loopback, in a folder holding the files they name.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSimulator, DEFAULT_CREDENTIALS, EICAR_TEST_STRING } from "@mdkit/simulator";
import { strToU8, zipSync } from "fflate";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOf } from "../scripts/http/client-call.mjs";
import { loadSpecs } from "../scripts/http/spec-model.mjs";
import { docsRoot, guides, referenceDir, repoRoot } from "../scripts/site.mjs";
import { type CodeBlock, codeBlocks, requireBuiltSite } from "./site-helpers.js";

/** Inside `apps/docs`, so that `@mdkit/*` resolve through its dependencies, as in a user's project. */
const snippetDir = join(docsRoot, ".tmp", "snippets");

const isTypeScript = (block: CodeBlock) => block.lang === "ts" || block.lang === "typescript";
const fileOf = (block: CodeBlock, extension: string) =>
  join(snippetDir, `${block.guide}-${block.index}.${extension}`);

/** The repository's compiler options, for code written as a user of the packages. */
function compilerOptions(): ts.CompilerOptions {
  const file = join(repoRoot, "tsconfig.base.json");
  const { config } = ts.readConfigFile(file, ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, repoRoot, undefined, file);
  return { ...options, noEmit: true, composite: false, declaration: false, declarationMap: false };
}

/**
 * The typed client call of each HTTP operation page, as a module declaring
 * the client (and the file) it uses, by file name.
 */
function operationCalls(): Map<string, { page: string; code: string }> {
  const calls = new Map<string, { page: string; code: string }>();
  for (const spec of loadSpecs()) {
    const client = clientOf(spec);
    if (!client) continue;
    const prelude = [
      `import type { ${client.type} } from "${client.packageName}";`,
      `declare const ${client.variable}: ${client.type};`,
      "declare const file: Blob;",
    ].join("\n");
    for (const operation of spec.operations) {
      const page = `reference/http/${spec.name}/${operation.slug}.md`;
      const text = readFileSync(join(referenceDir, "..", page), "utf8");
      const call = /```ts\n([\s\S]*?)\n```/.exec(text)?.[1];
      if (!call) throw new Error(`${page} shows no typed client call`);
      const code = `${prelude}\n${call}\nconsole.log(data, error, response);\n`;
      calls.set(join(snippetDir, `http-${spec.name}-${operation.slug}.ts`), { page, code });
    }
  }
  return calls;
}

describe("TypeScript of the guides", () => {
  let blocks: CodeBlock[];
  let calls: ReturnType<typeof operationCalls>;

  beforeAll(async () => {
    requireBuiltSite();
    blocks = (await codeBlocks()).filter(isTypeScript);
    calls = operationCalls();
    rmSync(snippetDir, { recursive: true, force: true });
    mkdirSync(snippetDir, { recursive: true });
    for (const block of blocks) writeFileSync(fileOf(block, "ts"), `${block.code}\n`);
    for (const [file, { code }] of calls) writeFileSync(file, code);
  });

  it("compiles every block of the guides, and the typed client call of every HTTP operation", () => {
    expect(blocks.length).toBeGreaterThan(20);
    expect(calls.size).toBeGreaterThan(30);
    const program = ts.createProgram(
      [...blocks.map((block) => fileOf(block, "ts")), ...calls.keys()],
      compilerOptions(),
    );
    const diagnostics = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const file = diagnostic.file?.fileName ?? "";
      const line =
        diagnostic.file && diagnostic.start !== undefined
          ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1
          : 0;
      const block = blocks.find((candidate) => fileOf(candidate, "ts") === file);
      const at = block
        ? `guides/${block.guide}.md:${block.line + line}`
        : (calls.get(file)?.page ?? file);
      return `${at}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`;
    });
    expect(diagnostics).toEqual([]);
  }, 120_000);

  describe("run against the simulator", () => {
    let sim: ReturnType<typeof createSimulator>;
    let env: Record<string, string>;
    let workDir: string;

    beforeAll(async () => {
      // The Core behind the simulated direct connections is the simulated gateway: it takes this key.
      const coreApiKey = "mdkit-docs-core-key";
      sim = createSimulator({
        cluster: { scanDurationMs: 30, apiKeys: [coreApiKey] },
        cm: { connectDelayMs: 20 },
      });
      const server = await sim.listen();
      const { cluster, cm } = DEFAULT_CREDENTIALS;
      env = {
        MDKIT_CLUSTER_URL: server.url,
        MDKIT_CLUSTER_USER: cluster.user,
        MDKIT_CLUSTER_PASSWORD: cluster.password,
        MDKIT_CM_URL: server.url,
        MDKIT_CM_CLIENT_ID: cm.clientId,
        MDKIT_CM_CLIENT_SECRET: cm.clientSecret,
        MDKIT_CORE_APIKEY: coreApiKey,
        // What a reader pins: the fingerprint of the gateway's batch signing certificate.
        MDKIT_BATCH_CERT_FINGERPRINT: (await sim.cluster.signingFingerprints()).sha256,
      };
      // The files the guides name: documents, a folder of them (one EICAR), an archive.
      workDir = mkdtempSync(join(tmpdir(), "mdkit-docs-snippets-"));
      writeFileSync(join(workDir, "hello.txt"), "hello, mdkit\n");
      writeFileSync(join(workDir, "invoice.pdf"), "%PDF-1.7 an invoice\n");
      mkdirSync(join(workDir, "inbox", "2025"), { recursive: true });
      writeFileSync(join(workDir, "inbox", "report.pdf"), "%PDF-1.7 a report\n");
      writeFileSync(join(workDir, "inbox", "2025", "notes.pdf"), "%PDF-1.7 notes\n");
      writeFileSync(join(workDir, "inbox", "eicar.com"), EICAR_TEST_STRING);
      writeFileSync(
        join(workDir, "bundle.zip"),
        zipSync({
          "readme.txt": strToU8("read me\n"),
          "tools/eicar.com": strToU8(EICAR_TEST_STRING),
        }),
      );
    });

    afterAll(async () => {
      await sim?.close();
      if (workDir) rmSync(workDir, { recursive: true, force: true });
    });

    for (const guide of guides.filter((candidate) => candidate.runs)) {
      it(`runs every block of ${guide.slug}`, async () => {
        const own = blocks.filter((block) => block.guide === guide.slug);
        expect(own.length).toBeGreaterThan(0);
        // A few at a time: each is its own Node process, mostly waiting on the simulator.
        const failures: string[] = [];
        await inParallel(own, 3, async (block) => {
          const { outputText } = ts.transpileModule(block.code, {
            compilerOptions: { ...compilerOptions(), module: ts.ModuleKind.ESNext },
          });
          const file = fileOf(block, "mjs");
          writeFileSync(file, outputText);
          const run = await runNode(file, workDir, env);
          if (run.code !== 0)
            failures.push(
              `guides/${guide.slug}.md:${block.line} exited ${run.code}\n${run.output}`,
            );
        });
        expect(failures).toEqual([]);
      }, 120_000);
    }
  });
});

/** Runs `task` over `items`, at most `limit` at once. */
async function inParallel<T>(items: T[], limit: number, task: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Runs a Node program and resolves with its exit code and output (stdout and stderr). */
function runNode(file: string, cwd: string, env: Record<string, string>) {
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [file], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 60_000,
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output }));
  });
}

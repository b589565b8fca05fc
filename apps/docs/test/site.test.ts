/**
 * The built documentation site, read the way a reader reads it: served over
 * HTTP on loopback and opened in Debian's Chromium. Skipped, with the reason
 * printed, where Chromium is not installed; the scan of the built files for
 * machine paths and external resources runs in any case. Full-page
 * screenshots go to `apps/docs/test-results/screenshots/`.
 */
import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Manifest } from "../scripts/generate.mjs";
import { distDir, docsRoot, guides, manifestFile, repoRoot } from "../scripts/site.mjs";
import {
  findChromium,
  openBrowser,
  screenshot,
  screenshotDir,
  serveSite,
  watchProblems,
} from "./browser.js";
import {
  codeBlocks,
  externalResourcesIn,
  filesOf,
  machinePathsIn,
  requireBuiltSite,
} from "./site-helpers.js";

const executablePath = findChromium();
if (!executablePath) {
  console.warn(
    "[@mdkit/docs] SKIPPED the browser test of the documentation site: no `chromium` on PATH " +
      "nor /usr/bin/chromium (install Debian's package: apt-get install chromium)",
  );
}

describe.skipIf(!executablePath)("documentation site in headless Chromium", () => {
  let site: Awaited<ReturnType<typeof serveSite>>;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let context: BrowserContext;

  beforeAll(async () => {
    requireBuiltSite();
    site = await serveSite();
    browser = await openBrowser(executablePath as string, site.url);
    context = browser.context;
    console.info(`[@mdkit/docs] screenshots: ${relative(repoRoot, screenshotDir)}`);
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it("answers 200 for every internal link, and shows every page without a console error or a request off loopback", async () => {
    const start = new URL(`guides/${guides[0]?.slug}.html`, site.url).href;
    const queue = [site.url, start];
    const seen = new Set(queue);
    const visited = new Set<string>();
    const problems: string[] = [];
    // A few tabs at once, each taking the next page of the queue until no tab finds more.
    let busy = 0;
    const tab = async () => {
      const page = await context.newPage();
      const own = watchProblems(page);
      for (;;) {
        const url = queue.shift();
        if (!url) {
          if (busy === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
          continue;
        }
        busy++;
        try {
          const response = await page.goto(url, { waitUntil: "load" });
          expect(response?.status(), url).toBe(200);
          await page.locator("#app h1, #app .VPHero").first().waitFor({ state: "visible" });
          visited.add(url);
          const hrefs = await page
            .locator("a[href]")
            .evaluateAll((anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
          for (const href of hrefs) {
            const target = href.split("#")[0] ?? "";
            if (!target.startsWith(site.url) || seen.has(target)) continue;
            seen.add(target);
            if (target.endsWith("/") || target.endsWith(".html")) queue.push(target);
            else {
              // Files linked from the pages (the specs): they must exist too.
              const file = await fetch(target);
              expect(file.status, `${target}, linked from ${url}`).toBe(200);
            }
          }
        } finally {
          busy--;
        }
      }
      problems.push(...own);
      await page.close();
    };
    await Promise.all([tab(), tab(), tab()]);

    // Every page of the navigation was reached by following links.
    const manifest = JSON.parse(await readFile(manifestFile, "utf8")) as Manifest;
    const pages = [
      ...guides.map((guide) => `/guides/${guide.slug}`),
      "/reference/api/",
      ...manifest.api.map((entry) => entry.link),
      ...manifest.cli.map((command) => command.link),
      ...manifest.http.flatMap((spec) => [
        spec.link,
        spec.schemas,
        ...spec.tags.flatMap((tag) => tag.operations.map((operation) => operation.link)),
      ]),
    ].map((link) => new URL(`.${link.endsWith("/") ? link : `${link}.html`}`, site.url).href);
    expect(pages.filter((url) => !visited.has(url))).toEqual([]);
    expect(problems).toEqual([]);
    expect(browser.offsite).toEqual([]);
  }, 300_000);

  it("finds scanFile, paginateReports and POST /file with its search", async () => {
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto(new URL("guides/getting-started.html", site.url).href);
    const expectations: Array<[string, RegExp, RegExp]> = [
      ["scanFile", /scanFile/, /\/reference\/api\/@mdkit\/scan(\/node)?\.html#scanfile$/],
      [
        "paginateReports",
        /paginateReports/,
        /\/reference\/api\/@mdkit\/central-management\.html#paginatereports$/,
      ],
      ["POST /file", /^#?\s*POST \/file$/, /\/reference\/http\/cluster\/analyze-file\.html/],
    ];
    for (const [query, title, href] of expectations) {
      await page.locator(".VPNavBarSearch button").click();
      const input = page.locator("#localsearch-input");
      await input.fill(query);
      const results = page.locator(".VPLocalSearchBox ul.results a.result");
      await results.first().waitFor({ state: "visible" });
      const read = () =>
        results.evaluateAll((anchors) =>
          anchors.map((a) => ({
            href: (a as HTMLAnchorElement).href,
            title: a.querySelector(".title.main")?.textContent?.trim() ?? "",
          })),
        );
      // The box may still list the previous query's results for a moment (a busy machine): read
      // again until the hit shows or 10 s have passed.
      const until = performance.now() + 10_000;
      let found = await read();
      let hit = found.find((result) => title.test(result.title) && href.test(result.href));
      while (!hit && performance.now() < until) {
        await page.waitForTimeout(100);
        found = await read();
        hit = found.find((result) => title.test(result.title) && href.test(result.href));
      }
      expect(hit, `search for "${query}": ${JSON.stringify(found.slice(0, 8))}`).toBeDefined();
      await page.keyboard.press("Escape");
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it("lists the filename, rule and callbackurl headers on the page of POST /file", async () => {
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto(new URL("reference/http/cluster/analyze-file.html", site.url).href);
    const title = await page.locator("h1").textContent();
    // The heading's anchor link adds a zero-width space.
    expect(title?.replace(/\u200b/g, "").trim()).toBe("POST /file");
    const headers = page.locator("h2:has-text('Headers') + table tbody tr td:first-child > code");
    const names = await headers.allTextContents();
    for (const name of ["Content-Length", "filename", "rule", "callbackurl"]) {
      expect(names).toContain(name);
    }
    // The typed client call that makes it, linked to the client factory.
    await expect(
      page.locator("h2:has-text('Typed client call') + div pre").textContent(),
    ).resolves.toContain('cluster.POST("/file"');
    expect(problems).toEqual([]);
    await screenshot(page, "http-post-file");
    await page.close();
  });

  it("shows scanFile under @mdkit/scan/node with its TSDoc example", async () => {
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto(new URL("reference/api/@mdkit/scan/node.html", site.url).href);
    const heading = page.locator("h3#scanfile");
    await expect(heading.textContent()).resolves.toContain("scanFile");
    const source = await readFile(`${repoRoot}/packages/scan/src/node/index.ts`, "utf8");
    const example = /const result = await scanFile\(cluster, "\.\/invoice\.pdf"[^\n]*/.exec(
      source,
    )?.[0];
    expect(example, "the @example of scanFile in @mdkit/scan/node").toBeDefined();
    const shown = await page.locator(".vp-doc").textContent();
    expect(shown).toContain(example);
    expect(problems).toEqual([]);
    await screenshot(page, "api-scan-node");
    await page.close();
  });

  it("renders the home page and the getting-started page with the commands it tests", async () => {
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto(site.url);
    await expect(page.title()).resolves.toContain("mdkit");
    await screenshot(page, "home");

    await page.goto(new URL("guides/getting-started.html", site.url).href);
    const shown = (
      await page.locator(".vp-doc div[class*='language-sh'] pre").allTextContents()
    ).join("\n");
    const blocks = await codeBlocks((guide) => guide.slug === "getting-started");
    const commands = blocks
      .filter((block) => block.lang === "sh")
      .flatMap((block) => block.code.split("\n"))
      .filter((line) => line.trim() && !line.trim().startsWith("#"));
    expect(commands.length).toBeGreaterThan(3);
    for (const command of commands) expect(shown).toContain(command);
    expect(problems).toEqual([]);
    await screenshot(page, "getting-started");
    await page.close();
  });

  it("gives every code block of the guides highlighting and a copy button", async () => {
    const page = await context.newPage();
    for (const guide of guides) {
      await page.goto(new URL(`guides/${guide.slug}.html`, site.url).href);
      const blocks = page.locator(".vp-doc div[class*='language-']");
      const count = await blocks.count();
      const expected = (await codeBlocks((candidate) => candidate.slug === guide.slug)).length;
      expect(count, guide.slug).toBe(expected);
      for (let i = 0; i < count; i++) {
        const block = blocks.nth(i);
        const where = `${guide.slug} block ${i + 1}`;
        await expect(block.locator("button.copy").count(), where).resolves.toBe(1);
        // Shiki colours each token of a language (plain text output has nothing to colour).
        if ((await block.getAttribute("class"))?.includes("language-text")) continue;
        await expect(
          block.locator("pre span[style*='--shiki']").count(),
          where,
        ).resolves.toBeGreaterThan(0);
      }
    }
    await page.close();
  });

  it("stays usable on a phone: no sideways scrolling, a menu that opens the sidebar", async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    const problems = watchProblems(page);
    for (const path of [
      "",
      "guides/scanning-from-code.html",
      "reference/api/@mdkit/central-management.html",
      "reference/http/central-management/send-connection-request.html",
    ]) {
      await page.goto(new URL(path, site.url).href);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `horizontal overflow on /${path}`).toBeLessThanOrEqual(0);
    }
    await page.locator(".VPLocalNav .menu").click();
    const link = page.locator(".VPSidebar").getByRole("link", { name: "Errors and retries" });
    await link.waitFor({ state: "visible" });
    await screenshot(page, "phone-sidebar", false);
    await link.click();
    await page.waitForURL(/errors-and-retries/);
    expect(problems).toEqual([]);
    await page.close();
  });
});

/**
 * The one URL of another host in the built files: VitePress's theme fetches
 * social-link icons from Iconify, but only for `themeConfig.socialLinks`,
 * which this site does not set (checked below), so the code never runs.
 */
const UNUSED_THEME_URLS = [/^https:\/\/api\.iconify\.design\/simple-icons\/\$\{/];

describe("documentation site files", () => {
  beforeAll(requireBuiltSite);

  it("sets no social links (the theme would load their icons from another host)", async () => {
    const config = await readFile(`${docsRoot}/.vitepress/config.mjs`, "utf8");
    expect(config).not.toMatch(/socialLinks/);
  });

  it("has no absolute machine paths nor external resources in any built file", async () => {
    const findings: string[] = [];
    for await (const file of filesOf(distDir)) {
      if (!/\.(html|js|css|json|svg|yaml)$/.test(file)) continue;
      const text = await readFile(file, "utf8");
      for (const found of machinePathsIn(text, [repoRoot])) findings.push(`${file}: ${found}`);
      for (const url of externalResourcesIn(text)) {
        if (!UNUSED_THEME_URLS.some((allowed) => allowed.test(url)))
          findings.push(`${file}: loads ${url}`);
      }
    }
    expect(findings).toEqual([]);
  });
});

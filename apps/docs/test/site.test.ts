/**
 * The built documentation site, read the way a reader reads it: served over
 * HTTP on loopback and opened in Debian's Chromium (headless, driven by
 * playwright-core; never a browser downloaded by Playwright). Skipped, with
 * the reason printed, where Chromium is not installed; the scan of the built
 * files for machine paths and external resources runs in any case.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { distDir, repoRoot } from "../scripts/site.mjs";
import { serveDirectory } from "../scripts/static-server.mjs";
import {
  externalResourcesIn,
  filesOf,
  machinePathsIn,
  quickStartCommands,
  tsdocExample,
} from "./site-helpers.js";

const executablePath = findChromium();
if (!executablePath) {
  console.warn(
    "[@mdkit/docs] SKIPPED the browser test of the documentation site: no `chromium` on PATH " +
      "nor /usr/bin/chromium (install Debian's package: apt-get install chromium)",
  );
}

describe.skipIf(!executablePath)("documentation site in headless Chromium", () => {
  let site: Awaited<ReturnType<typeof serveDirectory>>;
  let context: BrowserContext;
  let userDataDir: string;
  /** Requests the pages made outside the loopback server: the site must work offline. */
  const offsite: string[] = [];

  beforeAll(async () => {
    requireBuiltSite();
    site = await serveDirectory(distDir);
    userDataDir = mkdtempSync(join(tmpdir(), "mdkit-docs-chromium-"));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
      ],
      viewport: { width: 1280, height: 900 },
    });
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(site.url)) return route.continue();
      offsite.push(url);
      return route.abort();
    });
  });

  afterAll(async () => {
    await context?.close();
    await site?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  it("renders the home page with the Quick start's two commands", async () => {
    const page = await context.newPage();
    const response = await page.goto(site.url);
    expect(response?.status()).toBe(200);
    await expect(page.title()).resolves.toContain("mdkit");
    const quickStart = page.locator("h2#quick-start + pre");
    const shown = (await quickStart.textContent()) ?? "";
    const commands = await quickStartCommands();
    expect(commands).toHaveLength(2);
    for (const command of commands) expect(shown).toContain(command);

    const dir = join(import.meta.dirname, "__screenshots__");
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, "home.png") });
    await page.close();
  });

  it("resolves every sidebar link (HTTP 200, no console error, no failed request), and the guides' links", async () => {
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto(site.url);
    const links = await page
      .locator("nav.sidebar a")
      .evaluateAll((anchors) => [...new Set(anchors.map((a) => (a as HTMLAnchorElement).href))]);
    // 10 guide pages, the API index and 8 packages' API pages (the brand link repeats the home page).
    expect(links.length).toBeGreaterThanOrEqual(19);
    const contentLinks = new Set<string>();
    for (const link of links) {
      const response = await page.goto(link, { waitUntil: "load" });
      expect(response?.status(), link).toBe(200);
      // TypeDoc's pages show their body once their script ran: wait until the title is visible.
      await page.locator("h1").first().waitFor({ state: "visible", timeout: 5_000 });
      if (!link.includes("/api/")) {
        const inPage = await page
          .locator("main a[href]")
          .evaluateAll((anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
        for (const href of inPage.filter((url) => url.startsWith(site.url))) contentLinks.add(href);
      }
    }
    for (const href of contentLinks) {
      const response = await fetch(href, { method: "HEAD" });
      expect(response.status, `${href}, linked from a guide page`).toBe(200);
    }
    expect(problems).toEqual([]);
    expect(offsite).toEqual([]);
    await page.close();
  });

  it("shows scanFile's TSDoc example on its API page", async () => {
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto(site.url);
    await page.locator("nav.sidebar").getByRole("link", { name: "@mdkit/scan" }).last().click();
    // @mdkit/scan has two entries (`.` and `./node`): open the portable one, then scanFile.
    const members = page.locator(".col-content .tsd-member-summary-name");
    await members.getByRole("link", { name: "@mdkit/scan", exact: true }).click();
    await members.getByRole("link", { name: "scanFile", exact: true }).click();
    await page.locator("h1").waitFor({ state: "visible" });
    expect(await page.locator("h1").textContent()).toContain("scanFile");
    const example = page.locator("h4#example + pre");
    await example.waitFor({ state: "visible" });
    const shown = (await example.textContent()) ?? "";
    const source = await tsdocExample("packages/scan/src/scan-file.ts", "scanFile");
    for (const line of source) expect(shown).toContain(line);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe("documentation site files", () => {
  beforeAll(requireBuiltSite);

  it("has no absolute machine paths nor external resources in any built file", async () => {
    const findings: string[] = [];
    for await (const file of filesOf(distDir)) {
      if (!/\.(html|js|css|json)$/.test(file)) continue;
      const text = await readFile(file, "utf8");
      for (const found of machinePathsIn(text, [repoRoot])) findings.push(`${file}: ${found}`);
      for (const url of externalResourcesIn(text)) findings.push(`${file}: loads ${url}`);
    }
    expect(findings).toEqual([]);
  });
});

/** The test reads the site the build wrote; it never builds it itself. */
function requireBuiltSite(): void {
  if (!existsSync(join(distDir, "index.html"))) {
    throw new Error(
      "[@mdkit/docs] apps/docs/dist is missing: build the site first (`pnpm run docs`, or `pnpm test`, which builds before testing)",
    );
  }
}

/** Collects console errors, uncaught exceptions, failed requests and HTTP errors of a page. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()} (${page.url()})`);
  });
  page.on("pageerror", (error) => problems.push(`exception: ${error.message} (${page.url()})`));
  page.on("requestfailed", (request) => {
    problems.push(`failed: ${request.url()} ${request.failure()?.errorText ?? ""}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}

/** `chromium` on PATH (what `which chromium` answers), else Debian's /usr/bin/chromium. */
function findChromium(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, "chromium"))) return join(dir, "chromium");
  }
  return existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined;
}

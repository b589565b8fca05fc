/**
 * The built site served on loopback, and Debian's Chromium (headless, driven
 * by playwright-core; never a browser downloaded by Playwright) to read it
 * with, every request leaving loopback refused and recorded.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import sirv from "sirv";
import { distDir, docsRoot } from "../scripts/site.mjs";

/** Where the screenshots go: a folder CI keeps as an artifact (git-ignored). */
export const screenshotDir = join(docsRoot, "test-results", "screenshots");

/** `chromium` on PATH (what `which chromium` answers), else Debian's /usr/bin/chromium. */
export function findChromium(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, "chromium"))) return join(dir, "chromium");
  }
  return existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined;
}

/** A static server of `apps/docs/dist` on 127.0.0.1 and a free port. */
export async function serveSite(): Promise<{ url: string; close(): Promise<void> }> {
  const files = sirv(distDir, { dev: false, etag: false, extensions: ["html"] });
  const server = createServer((request, response) =>
    files(request, response, () => {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A headless Chromium whose every request outside `allowedOrigin` is refused and recorded. */
export async function openBrowser(
  executablePath: string,
  allowedOrigin: string,
): Promise<{ context: BrowserContext; offsite: string[]; close(): Promise<void> }> {
  const userDataDir = mkdtempSync(join(tmpdir(), "mdkit-docs-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
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
  const offsite: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(allowedOrigin) || url.startsWith("data:")) return route.continue();
    offsite.push(url);
    return route.abort();
  });
  return {
    context,
    offsite,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Collects console errors, uncaught exceptions, failed requests and HTTP errors of a page. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()} (${page.url()})`);
  });
  page.on("pageerror", (error) => problems.push(`exception: ${error.message} (${page.url()})`));
  page.on("requestfailed", (request) => {
    // A prefetch still running when the page navigates on is aborted by the browser: not a fault.
    if (request.failure()?.errorText === "net::ERR_ABORTED") return;
    problems.push(`failed: ${request.url()} ${request.failure()?.errorText ?? ""}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}

/** A screenshot into {@link screenshotDir}: the full page, unless `fullPage` is false (the viewport). */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage });
}

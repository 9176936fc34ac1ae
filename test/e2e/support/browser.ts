/** Browser access for e2e tests: connect to the Chromium the global setup launched, one context per test file. */
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { inject } from "vitest";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export const chromiumPath = () => process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  /** Open a console path (e.g. "/functions?q=x") in a new page and wait for it to load. */
  open(pathname: string): Promise<Page>;
  close(): Promise<void>;
}

/** `base` defaults to the shared console; a test that runs a console of its own passes its URL. */
export async function connectBrowser(base: string = inject("consoleUrl")): Promise<BrowserSession> {
  const browser = await chromium.connect(inject("browserWsEndpoint"));
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  return {
    browser,
    context,
    async open(pathname) {
      const page = await context.newPage();
      await page.goto(`${base}${pathname}`, { waitUntil: "load" });
      return page;
    },
    async close() {
      await context.close();
      await browser.close();
    },
  };
}

/**
 * Pages while AWS is down: a console of our own (`next start` on the shared build, its own SQLite file) reaches
 * the global sandbox through a fault proxy (test/support/fault-proxy.ts). Its collector fills the store while
 * the proxy passes; then the proxy hangs or fails every AWS call, and the pages must still answer in time with
 * what the store holds, each live panel saying why it is missing. One `describe` per page.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startFaultProxy, type FaultMode, type FaultProxy } from "../support/fault-proxy";
import { connectBrowser, type BrowserSession } from "./support/browser";
import { startOwnConsole, type OwnConsole } from "./support/own-console";
import "./support/provided";

export interface ConsoleBehindProxy {
  url: string;
  proxy: FaultProxy;
  stop(): Promise<void>;
}

/**
 * A console whose AWS endpoint is a fault proxy in front of the e2e sandbox, with short AWS timeouts and no
 * retries (so a hung call fails a panel in about 4 s), a 1 s cache (so a switch of the proxy shows at the
 * next view) and a short backfill (so the store has the last hour within a minute or two).
 */
export async function startConsoleBehindProxy(env: Record<string, string> = {}): Promise<ConsoleBehindProxy> {
  const proxy = await startFaultProxy(inject("sandboxUrl"));
  let app: OwnConsole;
  try {
    app = await startOwnConsole({
      endpoint: proxy.url,
      name: "degraded",
      env: {
        FLEETSCOPE_AWS_CONNECT_TIMEOUT_MS: "1000",
        // Long enough for the sandbox's ListFunctions on 2 busy cores, short enough to fail a hung panel fast.
        FLEETSCOPE_AWS_REQUEST_TIMEOUT_MS: "4000",
        FLEETSCOPE_AWS_MAX_ATTEMPTS: "1",
        FLEETSCOPE_CACHE_TTL_SECONDS: "1",
        FLEETSCOPE_COLLECTOR_BACKFILL_HOURS: "2",
        FLEETSCOPE_COLLECTOR_LAMBDA_RPS: "10",
        FLEETSCOPE_ADVISOR_DAYS: "1",
        ...env,
      },
    });
  } catch (e) {
    await proxy.close();
    throw e;
  }
  return {
    url: app.url,
    proxy,
    async stop() {
      await app.close();
      await proxy.close();
    },
  };
}

/** A page answered in full (every streamed panel included): its status, and how long it took. */
async function timedGet(url: string): Promise<{ status: number; ms: number; html: string }> {
  const started = Date.now();
  const res = await fetch(url);
  const html = await res.text();
  return { status: res.status, ms: Date.now() - started, html };
}

async function waitFor<T>(what: string, fn: () => Promise<T | null | false>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 3000));
  }
}

const squash = (s: string | null) => (s ?? "").replace(/\s+/g, " ").trim();

let running: ConsoleBehindProxy;
let session: BrowserSession;

/** Switches AWS to `mode`; the page at `path` must still answer 200, in full, within 20 s. */
async function expectAnswerInTime(path: string, mode: FaultMode) {
  running.proxy.setMode(mode);
  const { status, ms } = await timedGet(`${running.url}${path}`);
  expect(status).toBe(200);
  expect(ms).toBeLessThan(20_000);
}

beforeAll(async () => {
  running = await startConsoleBehindProxy();
  session = await connectBrowser(running.url);
});

afterAll(async () => {
  await session?.close();
  await running?.stop();
});

describe("function page while AWS is down", () => {
  const FUNCTION_PATH = "/functions/us-east-1/orders-api";

  /** The stored invocations the page shows, once the collector has read some of its range; else null. */
  async function storedInvocations(page: Page): Promise<number | null> {
    const exact = page.getByTestId("fn-exact");
    await exact.waitFor({ state: "attached", timeout: 30_000 }).catch(() => undefined);
    if ((await exact.count()) === 0) return null;
    const n = Number(await exact.getAttribute("data-invocations"));
    return n > 0 ? n : null;
  }

  /** The page's panels that must come from the store, and its versions panel, as the browser shows them. */
  async function readPage(page: Page) {
    await page.getByRole("heading", { name: "orders-api" }).waitFor();
    const versions = page.locator('section[aria-labelledby="versions-title"]');
    await versions.waitFor({ timeout: 30_000 });
    return {
      source: squash(await page.getByTestId("detail-source").textContent()),
      configuration: squash(
        await page.locator('section[aria-labelledby="configuration-title"]').textContent(),
      ),
      aliases: await page.getByRole("table", { name: "Aliases" }).locator("tbody tr").count(),
      invocations: await storedInvocations(page),
      versions: squash(await versions.textContent()),
    };
  }

  beforeAll(async () => {
    running.proxy.setMode("pass");
    // The collector lists the inventory and reads the newest minutes; the page says so once it has.
    let seen = "";
    await waitFor(
      "the store to hold orders-api's inventory and telemetry",
      async () => {
        const page = await session.open(FUNCTION_PATH);
        try {
          seen = squash(await page.locator("main").textContent()).slice(0, 300);
          const source = page.getByTestId("detail-source");
          if ((await source.count()) === 0) return false;
          return (
            squash(await source.textContent()).includes("collector's inventory") &&
            (await storedInvocations(page)) !== null
          );
        } finally {
          await page.close();
        }
      },
      240_000,
    ).catch((e: unknown) => {
      throw new Error(`${String(e)}; the page last showed: ${seen}`);
    });
  }, 300_000);

  it("shows published versions while AWS answers", async () => {
    const page = await session.open(FUNCTION_PATH);
    const seen = await readPage(page);
    expect(seen.versions).toMatch(/Published versions \(\d+\)/);
    expect(seen.versions).not.toContain("Versions unavailable");
    await page.close();
  });

  it("answers in time from the store when AWS hangs; the versions panel says they are unavailable", async () => {
    await expectAnswerInTime(FUNCTION_PATH, "hang");

    const page = await session.open(FUNCTION_PATH);
    const seen = await readPage(page);
    expect(seen.source).toContain("collector's inventory");
    expect(seen.configuration).toContain("Memory");
    expect(seen.configuration).toContain("/aws/lambda/");
    expect(seen.aliases).toBeGreaterThan(0);
    expect(seen.invocations).toBeGreaterThan(0);
    expect(seen.versions).toContain("Versions unavailable: Timeout");
    expect(seen.versions).toContain("ListVersionsByFunction");
    await page.close();
  });

  it("answers in time from the store when AWS fails with 503; the versions panel quotes the error", async () => {
    await expectAnswerInTime(FUNCTION_PATH, "fail");

    const page = await session.open(FUNCTION_PATH);
    const seen = await readPage(page);
    expect(seen.source).toContain("collector's inventory");
    expect(seen.configuration).toContain("Memory");
    expect(seen.invocations).toBeGreaterThan(0);
    expect(seen.versions).toContain("Versions unavailable: Unavailable");
    expect(seen.versions).toContain("ServiceUnavailableException");
    expect(seen.versions).toContain(running.proxy.failMessage);
    await page.close();
  });

  it("still answers 404 for an unknown function", async () => {
    running.proxy.setMode("pass");
    const { status } = await timedGet(`${running.url}/functions/us-east-1/no-such-function-here`);
    expect(status).toBe(404);
  });

  it("says AWS could not be read, not 404, for an unlisted function while AWS fails", async () => {
    running.proxy.setMode("fail");
    const page = await session.open("/functions/us-east-1/not-listed-anywhere");
    const text = squash(await page.locator("main").textContent());
    expect(text).toContain("This function could not be read from AWS");
    expect(text).toContain("ServiceUnavailableException");
    expect(text).toContain("Nothing is stored for this function yet");
    await page.close();
    running.proxy.setMode("pass");
  });
});

describe("alias page while AWS is down", () => {
  const ALIAS_PATH = "/traffic/us-east-1/orders-api/live";

  beforeAll(async () => {
    running.proxy.setMode("pass");
    // The collector's inventory holds the alias once it has read orders-api's details (the function page says so).
    await waitFor(
      "the store to hold orders-api's details",
      async () =>
        (await timedGet(`${running.url}/functions/us-east-1/orders-api`)).html.includes(
          "collector's inventory",
        ),
      240_000,
    );
  }, 300_000);

  async function readAliasPage() {
    const page = await session.open(ALIAS_PATH);
    await page.getByTestId("configured-routing").waitFor();
    await page.getByTestId("metrics-unavailable").waitFor({ timeout: 30_000 });
    await page.getByTestId("cold-starts-unavailable").waitFor({ timeout: 30_000 });
    const seen = {
      configured: squash(await page.getByTestId("configured-routing").textContent()),
      stale: squash(await page.getByTestId("alias-stale").textContent()),
      metrics: squash(await page.getByTestId("metrics-unavailable").textContent()),
      applyDisabled: await page.getByRole("button", { name: "Apply" }).isDisabled(),
      audit: await page.getByRole("region", { name: "Audit log" }).count(),
    };
    await page.close();
    return seen;
  }

  it("answers in time with the alias as the collector read it when AWS hangs; live panels say why not", async () => {
    await expectAnswerInTime(ALIAS_PATH, "hang");
    const seen = await readAliasPage();
    expect(seen.configured).toMatch(/^v\d+ /);
    expect(seen.stale).toContain("AWS did not answer (Timeout");
    expect(seen.stale).toContain("changes are off");
    expect(seen.metrics).toContain("Metrics unavailable");
    expect(seen.applyDisabled).toBe(true);
    expect(seen.audit).toBe(1);
  });

  it("does the same when AWS fails with 503, quoting the error", async () => {
    await expectAnswerInTime(ALIAS_PATH, "fail");
    const seen = await readAliasPage();
    expect(seen.stale).toContain(running.proxy.failMessage);
    expect(seen.metrics).toContain(running.proxy.failMessage);
    expect(seen.applyDisabled).toBe(true);
  });

  it("answers 404 for an unknown alias once AWS answers again", async () => {
    running.proxy.setMode("pass");
    expect((await timedGet(`${running.url}/traffic/us-east-1/orders-api/no-such-alias`)).status).toBe(404);
    expect((await timedGet(`${running.url}${ALIAS_PATH}`)).status).toBe(200);
  });
});

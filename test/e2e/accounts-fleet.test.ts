/**
 * Issue 17's "done when", in a browser: a sandbox process of this file's own simulates an organization of three
 * accounts whose third refuses the `fleetscope` role (`--accounts 3 --deny-role-in 2`), and a console of its own
 * finds them through Organizations (FLEETSCOPE_ORGANIZATION_ROLE_NAME=fleetscope) and collects the two it can reach.
 * Every account's fleet has the same function names, so a page that mixed two accounts up would show the other
 * one's numbers, traces or alias: what the pages show is checked against what the `aws` CLI reads in that account
 * (through the same role), and against what the other account holds.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { settledWindow } from "@/test/support/planted-picks";
import {
  assumeRoleIn,
  callerAccount,
  getAliasAs,
  holdsTrace,
  MANAGEMENT,
  metricSumAs,
  type CliCredentials,
} from "./support/account-cli";
import { connectBrowser, type BrowserSession } from "./support/browser";
import { startOwnConsole, type OwnConsole } from "./support/own-console";
import { freePort } from "./support/ports";
import { startSandboxProcess, type RunningSandbox } from "./support/sandbox-process";
import "./support/provided";

const REGION = "us-east-1";
/** Planted in every account of the sandbox (its first function), traced, with a `live` alias on v2 or later. */
const FN = "image-resizer";
const SECRET = "e2e-accounts-session-secret-0123456789";

const SandboxHealth = z.object({
  accounts: z.array(z.object({ accountId: z.string(), name: z.string().nullable() })),
});

let sandbox: RunningSandbox;
let app: OwnConsole;
let session: BrowserSession;
let management: string;
let member1: string;
let member2: string;
/** The `aws` CLI's credentials in member-1: its fleetscope role, assumed as the console assumes it. */
let asMember1: CliCredentials;

beforeAll(async () => {
  sandbox = await startSandboxProcess(await freePort(), REGION, 7, [
    "--functions",
    "3",
    "--accounts",
    "3",
    "--deny-role-in",
    "2",
  ]);
  const { accounts } = SandboxHealth.parse(await (await fetch(`${sandbox.url}/_sandbox/health`)).json());
  [management, member1, member2] = accounts.map((a) => a.accountId) as [string, string, string];
  asMember1 = await assumeRoleIn(sandbox.url, member1);
  app = await startOwnConsole({
    endpoint: sandbox.url,
    name: "accounts-fleet",
    env: {
      FLEETSCOPE_ORGANIZATION_ROLE_NAME: "fleetscope",
      FLEETSCOPE_SESSION_SECRET: SECRET,
      // The pages read the collector's store: let it read the small fleets fast and backfill only what is looked at.
      FLEETSCOPE_COLLECTOR_LAMBDA_RPS: "10",
      FLEETSCOPE_COLLECTOR_BACKFILL_HOURS: "2",
    },
  });
  session = await connectBrowser(app.url);
});

afterAll(async () => {
  await session?.close();
  await app?.close();
  await sandbox?.stop();
});

/** The fleet table's function rows, optionally only those of one function or account. */
const fleetRows = (page: Page, only: { fn?: string; account?: string } = {}): Locator =>
  page
    .getByTestId("fleet-rows")
    .locator(
      `[role="row"][data-function${only.fn ? `="${only.fn}"` : ""}]${only.account ? `[data-account="${only.account}"]` : ""}`,
    );

const rowAccounts = (page: Page): Promise<(string | null)[]> =>
  fleetRows(page).evaluateAll((rows) => rows.map((r) => r.getAttribute("data-account")));

/** Reloads `pathname` until `ready` holds: the collector has just started and lists each account in turn. */
async function openWhen(
  pathname: string,
  ready: (page: Page) => Promise<boolean>,
  ms = 240_000,
): Promise<Page> {
  const deadline = Date.now() + ms;
  for (;;) {
    const page = await session.open(pathname);
    if (await ready(page)) return page;
    await page.close();
    if (Date.now() > deadline) throw new Error(`${pathname}: not ready within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 5_000));
  }
}

/** The fleet page once its table lists functions of both reachable accounts. */
const openFleet = (query = "") =>
  openWhen(`/${query}`, async (page) => {
    await fleetRows(page)
      .first()
      .waitFor({ timeout: 30_000 })
      .catch(() => undefined);
    const shown = new Set(await rowAccounts(page));
    return query.includes("accounts=") ? shown.size > 0 : shown.has(management) && shown.has(member1);
  });

/** A custom range the collector has settled: its window ends a few minutes ago. */
function customRange(minutes: number): { query: string; window: { start: number; end: number } } {
  const window = settledWindow(Date.now(), minutes, 3);
  return {
    query: `from=${new Date(window.start).toISOString()}&to=${new Date(window.end).toISOString()}`,
    window,
  };
}

/** Picks an option of a labelled select (a Radix combobox and listbox, not a native <select>). */
async function choose(page: Page, label: string, option: string) {
  await page.getByRole("combobox", { name: label }).click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

/** The trace page's trace id and account, once its waterfall is drawn; checked against X-Ray in both accounts. */
async function expectMember1Trace(page: Page) {
  await page.getByTestId("trace-waterfall").waitFor({ timeout: 60_000 });
  const url = new URL(page.url());
  expect(url.searchParams.get("account")).toBe(member1);
  const traceId = decodeURIComponent(url.pathname.split("/").at(-1) ?? "");
  expect(traceId).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  // The trace is member-1's: its X-Ray has it, the management account's (the console's own) does not.
  expect(await holdsTrace(sandbox.url, asMember1, traceId)).toBe(true);
  expect(await holdsTrace(sandbox.url, MANAGEMENT, traceId)).toBe(false);
  await page.locator(`[role="treeitem"][data-span-name="${FN}"]`).first().waitFor();
}

describe("the fleet across accounts", () => {
  it("shows the two reachable accounts' functions with their ids, names the unreachable one, and ?accounts= narrows to one", async () => {
    expect(await callerAccount(sandbox.url, asMember1)).toBe(member1);
    const page = await openFleet();
    const shown = await rowAccounts(page);
    expect(new Set(shown)).toEqual(new Set([management, member1]));
    // Each account's own functions, the same names in both: one row per account.
    expect(await fleetRows(page, { fn: FN }).count()).toBe(2);
    // With several accounts the table has an Account column, and each row shows its account's id.
    await page
      .getByRole("columnheader", { name: /Account/ })
      .first()
      .waitFor();
    for (const id of [management, member1]) {
      expect(await fleetRows(page, { account: id }).first().innerText()).toContain(id);
    }
    // The unreachable account is named, with its error, on the page that still shows the others.
    const text = await page.locator("main").innerText();
    expect(text).toContain(member2);
    expect(text).toMatch(/AccessDenied/);
    await page.close();

    const narrowed = await openFleet(`?accounts=${member1}`);
    const only = await rowAccounts(narrowed);
    expect(only.length).toBeGreaterThan(0);
    expect(new Set(only)).toEqual(new Set([member1]));
    expect(await fleetRows(narrowed, { fn: FN }).count()).toBe(1);
    await narrowed.close();
  });

  it("opens a member account's function page by the fleet table's link, with that account's id and numbers", async () => {
    const page = await openFleet();
    await fleetRows(page, { fn: FN, account: member1 }).getByRole("link", { name: FN }).click();
    await page.waitForURL((u) => u.pathname === `/functions/${REGION}/${FN}`);
    expect(new URL(page.url()).searchParams.get("account")).toBe(member1);
    await page.getByRole("heading", { name: FN }).first().waitFor();
    expect(await page.locator("main").innerText()).toContain(member1);
    await page.close();

    // Its numbers are member-1's, not those of the management account's function of the same name.
    const { query, window } = customRange(30);
    const covered = await openWhen(`/functions/${REGION}/${FN}?account=${member1}&${query}`, async (p) => {
      await p
        .getByTestId("fn-exact")
        .waitFor({ state: "attached", timeout: 60_000 })
        .catch(() => undefined);
      return (await p.getByTestId("fn-exact").count()) > 0 && (await p.getByTestId("coverage").count()) === 0;
    });
    const shown = Number(await covered.getByTestId("fn-exact").getAttribute("data-invocations"));
    const inMember1 = await metricSumAs(sandbox.url, asMember1, FN, "Invocations", window);
    // Member-1's own sum (the management account's same-named function can coincide over a window, so its sum
    // is not compared; the page names member-1 above and the trace below is found in member-1 only).
    expect(shown).toBe(inMember1);
    await covered.close();

    // An account the console does not read is said so, not replaced by the default account.
    const unknown = await session.open(`/functions/${REGION}/${FN}?account=999999999999`);
    expect(await unknown.locator("body").innerText()).toContain("999999999999");
    expect(await unknown.getByTestId("fn-exact").count()).toBe(0);
    await unknown.close();
  });

  it("opens a member account's trace by a link in that function's recent invocations", async () => {
    const page = await openWhen(`/functions/${REGION}/${FN}?account=${member1}`, async (p) => {
      const recent = p.getByRole("table", { name: "Recent invocations" });
      await recent.waitFor({ timeout: 60_000 }).catch(() => undefined);
      return (await recent.locator('a[href^="/traces/"]').count()) > 0;
    });
    const link = page
      .getByRole("table", { name: "Recent invocations" })
      .locator('a[href^="/traces/"]')
      .first();
    expect(new URL(String(await link.getAttribute("href")), app.url).searchParams.get("account")).toBe(
      member1,
    );
    await link.click();
    await page.waitForURL((u) => u.pathname.startsWith("/traces/"));
    await expectMember1Trace(page);
    await page.close();
  });

  it("lists a member account's traces with ?accounts= and opens one by its link", async () => {
    const page = await session.open(`/traces?accounts=${member1}&region=${REGION}&fn=${FN}&range=1h`);
    const table = page.getByRole("table", { name: "Traces" });
    await table.waitFor({ timeout: 60_000 });
    const rows = table.locator("tbody tr");
    expect(await rows.count()).toBeGreaterThan(0);
    const link = rows.first().locator('a[href^="/traces/"]').first();
    expect(new URL(String(await link.getAttribute("href")), app.url).searchParams.get("account")).toBe(
      member1,
    );
    await link.click();
    await page.waitForURL((u) => u.pathname.startsWith("/traces/"));
    await expectMember1Trace(page);
    await page.close();
  });
});

describe("traffic in a member account", () => {
  it("shifts member-1's alias from the traffic page through its role: applied there only, audited with the account", async () => {
    const trafficPath = `/traffic/${REGION}/${FN}/live?account=${member1}`;
    const before = await getAliasAs(sandbox.url, asMember1, FN, "live");
    const managementBefore = await getAliasAs(sandbox.url, MANAGEMENT, FN, "live");
    expect(before.RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});
    const primary = before.FunctionVersion;
    const additional = String(Number(primary) - 1);

    const token = readFileSync(path.join(app.dir, "login-token"), "utf8").trim();
    const page = await session.open(`/login?returnTo=${encodeURIComponent(trafficPath)}`);
    await page.getByLabel("Login token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => u.pathname === `/traffic/${REGION}/${FN}/live`);
    expect(new URL(page.url()).searchParams.get("account")).toBe(member1);
    // The page says which account the alias is in and the role a change goes through.
    const where = await page.getByTestId("alias-account").innerText();
    expect(where).toContain(member1);
    expect(where).toContain(`arn:aws:iam::${member1}:role/fleetscope`);

    await choose(page, "Primary version", primary);
    await choose(page, "Additional version", additional);
    await page.getByLabel("Weight percent").fill("20");
    await page.getByRole("button", { name: "Apply" }).click();
    const confirm = page.getByTestId("confirm-change");
    expect(await confirm.getByTestId("confirm-after").textContent()).toBe(
      `v${primary} 80% / v${additional} 20%`,
    );
    expect(await confirm.getByTestId("confirm-revision").textContent()).toBe(before.RevisionId);
    await confirm.getByRole("button", { name: "Confirm Apply" }).click();
    await page.getByText(`Applied: v${primary} 80% / v${additional} 20%.`).waitFor();

    // Applied in member-1, as its own CLI reads it; the management account's alias of the same name is untouched.
    const after = await getAliasAs(sandbox.url, asMember1, FN, "live");
    expect(after.FunctionVersion).toBe(primary);
    expect(after.RoutingConfig?.AdditionalVersionWeights).toEqual({ [additional]: 0.2 });
    expect((await getAliasAs(sandbox.url, MANAGEMENT, FN, "live")).RevisionId).toBe(
      managementBefore.RevisionId,
    );

    // The audit on the page records the change with its account and the role it went through.
    await page.reload();
    const entry = page.locator('tr[data-audit-action="shift"][data-audit-outcome="applied"]').first();
    await entry.waitFor();
    const account = await entry.getByTestId("audit-account").innerText();
    expect(account).toContain(member1);
    expect(account).toContain(`arn:aws:iam::${member1}:role/fleetscope`);
    await page.close();
  });
});

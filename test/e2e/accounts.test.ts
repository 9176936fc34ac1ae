/**
 * The Accounts page in a browser: a sandbox process of this file's own with three accounts whose third refuses
 * the `fleetscope` role (`--accounts 3 --deny-role-in 2`), and a console of its own that discovers them through
 * Organizations (FLEETSCOPE_ORGANIZATION_ROLE_NAME=fleetscope). The page lists the three accounts: the management
 * account reachable on the console's own credentials, member-1 through its role, member-2 with AccessDenied
 * naming its role, in its row, while the rest of the page renders.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { connectBrowser, type BrowserSession } from "./support/browser";
import { startOwnConsole, type OwnConsole } from "./support/own-console";
import { freePort } from "./support/ports";
import { startSandboxProcess, type RunningSandbox } from "./support/sandbox-process";
import "./support/provided";

const SandboxHealth = z.object({
  accounts: z.array(z.object({ accountId: z.string(), name: z.string().nullable() })),
});

let sandbox: RunningSandbox;
let app: OwnConsole;
let session: BrowserSession;
let accounts: { accountId: string; name: string | null }[];

beforeAll(async () => {
  sandbox = await startSandboxProcess(await freePort(), "us-east-1", 7, [
    "--functions",
    "3",
    "--accounts",
    "3",
    "--deny-role-in",
    "2",
  ]);
  accounts = SandboxHealth.parse(await (await fetch(`${sandbox.url}/_sandbox/health`)).json()).accounts;
  app = await startOwnConsole({
    endpoint: sandbox.url,
    name: "accounts",
    env: {
      FLEETSCOPE_ORGANIZATION_ROLE_NAME: "fleetscope",
      // This file reads accounts only: the collector's work would only load the machine.
      FLEETSCOPE_COLLECTOR: "off",
      FLEETSCOPE_AWS_MAX_ATTEMPTS: "1",
    },
  });
  session = await connectBrowser(app.url);
});

afterAll(async () => {
  await session?.close();
  await app?.close();
  await sandbox?.stop();
});

const row = (page: Page, id: string) => page.locator(`tr[data-account="${id}"]`);

describe("the Accounts page", () => {
  it("lists the organization's three accounts: two reachable, the third's AccessDenied naming its role", async () => {
    expect(accounts.map((a) => a.name)).toEqual(["management", "member-1", "member-2"]);
    const [management, member1, member2] = accounts.map((a) => a.accountId) as [string, string, string];
    const page = await session.open("/accounts");

    await expect(page.getByRole("heading", { name: "Accounts", level: 1 }).isVisible()).resolves.toBe(true);
    await page.locator('table[aria-label="Accounts"]').waitFor();
    expect(
      await page.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-account"))),
    ).toEqual([management, member1, member2]);

    const home = row(page, management);
    expect(await home.getAttribute("data-reachable")).toBe("true");
    expect(await home.innerText()).toContain("own credentials");
    expect(await home.getByTestId("account-status").innerText()).toBe(
      `reachable as arn:aws:iam::${management}:user/fleetscope-sandbox`,
    );

    const member = row(page, member1);
    expect(await member.getAttribute("data-reachable")).toBe("true");
    expect(await member.innerText()).toContain(`Organizations role arn:aws:iam::${member1}:role/fleetscope`);
    expect(await member.getByTestId("account-status").innerText()).toBe(
      `reachable as arn:aws:sts::${member1}:assumed-role/fleetscope/fleetscope`,
    );

    const denied = row(page, member2);
    expect(await denied.getAttribute("data-reachable")).toBe("false");
    const message = await denied.getByTestId("account-status").innerText();
    expect(message).toMatch(/^AccessDenied: /);
    expect(message).toContain(`arn:aws:iam::${member2}:role/fleetscope`);
    expect(message).toContain("member-2");
    expect(message).not.toContain("reachable as");

    // The page explains how accounts are configured, and the navigation marks where the user is.
    const copy = await page.locator("main").innerText();
    for (const variable of [
      "FLEETSCOPE_ACCOUNT_ROLES",
      "FLEETSCOPE_ORGANIZATION_ROLE_NAME",
      "FLEETSCOPE_MONITORING_ACCOUNT",
    ])
      expect(copy).toContain(variable);
    expect(await page.getByTestId("accounts-mode").innerText()).toContain('role "fleetscope"');
    const nav = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Accounts" });
    expect(await nav.getAttribute("aria-current")).toBe("page");
    await page.close();
  });
});

/**
 * Traffic shifting end to end: a console of our own (`next start` on the shared build, its own SQLite file,
 * fast plan ticks and short leases) against the global sandbox, which runs in real time. The `aws` CLI is the
 * independent reader of what actually changed.
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { awsCliJson, cliGetAlias } from "@fleetscope/sandbox/testing/awscli";
import { connectBrowser, type BrowserSession } from "./support/browser";
import { openConsoleSession, startOwnConsole, type OwnConsole } from "./support/own-console";
import "./support/provided";

const SECRET = "e2e-session-secret-0123456789abcdef";
let own: OwnConsole;
let base: string;
let session: BrowserSession;
let cookie = "";

const sandbox = () => inject("sandboxUrl");
const getAlias = (fn: string) => cliGetAlias(sandbox(), fn, "live");
const setRouting = (fn: string, weights: string, version?: string) =>
  awsCliJson(sandbox(), [
    "lambda",
    "update-alias",
    "--function-name",
    fn,
    "--name",
    "live",
    ...(version ? ["--function-version", version] : []),
    "--routing-config",
    `AdditionalVersionWeights={${weights}}`,
  ]);

const post = (p: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${p}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base, cookie, ...headers },
    body: JSON.stringify(body),
  });

/** Picks an option of a labelled select (a Radix combobox and listbox, not a native <select>). */
async function choose(page: Page, label: string, option: string) {
  await page.getByRole("combobox", { name: label }).click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  ms: number,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

interface PlanJson {
  id: string;
  state: { status: string; step: number; reason: string | null };
}
const plan = async (id: string) =>
  ((await (await fetch(`${base}/api/traffic/plans`)).json()) as { plans: PlanJson[] }).plans.find(
    (p) => p.id === id,
  );
const audit = async (id: string) =>
  (
    (await (await fetch(`${base}/api/traffic/audit?plan=${id}`)).json()) as {
      entries: { action: string; outcome: string }[];
    }
  ).entries
    .reverse()
    .map((e) => `${e.action}:${e.outcome}`);

beforeAll(async () => {
  own = await startOwnConsole({
    endpoint: inject("sandboxUrl"),
    name: "traffic",
    env: {
      FLEETSCOPE_SESSION_SECRET: SECRET,
      FLEETSCOPE_PLAN_TICK_SECONDS: "2",
      FLEETSCOPE_LEASE_SECONDS: "8",
      // The /traffic list judges canaries from the collector's store: let it read the aliases fast (as global-setup).
      FLEETSCOPE_COLLECTOR_LAMBDA_RPS: "10",
    },
  });
  base = own.url;
  session = await connectBrowser(base);
});

afterAll(async () => {
  await session?.close();
  await own?.close();
});

describe("who may change traffic (HTTP level)", () => {
  it("refuses unauthenticated, viewer and cross-site requests, and changes nothing", async () => {
    const before = await getAlias("orders-api");
    const body = {
      region: "us-east-1",
      functionName: "orders-api",
      alias: "live",
      primaryVersion: before.FunctionVersion,
      additionalVersion: "13",
      weightPercent: 50,
      revisionId: before.RevisionId,
    };
    expect((await post("/api/traffic/shift", body)).status).toBe(401);
    const viewer = await openConsoleSession(own.dir, SECRET, {
      id: "oidc:v",
      name: "viewer@example.com",
      role: "viewer",
      via: "oidc",
    });
    const asViewer = await post("/api/traffic/shift", body, { cookie: `fleetscope_session=${viewer}` });
    expect(asViewer.status).toBe(403);
    expect(
      (
        await post(
          "/api/traffic/plans",
          { ...body, newVersion: "13", kind: "canary", stepPercent: 10, stepSeconds: 60 },
          { cookie: `fleetscope_session=${viewer}` },
        )
      ).status,
    ).toBe(403);
    const operator = await openConsoleSession(own.dir, SECRET, {
      id: "x",
      name: "x",
      role: "operator",
      via: "oidc",
    });
    const crossSite = await post("/api/traffic/shift", body, {
      cookie: `fleetscope_session=${operator}`,
      origin: "https://evil.example",
    });
    expect(crossSite.status).toBe(403);
    expect((await getAlias("orders-api")).RevisionId).toBe(before.RevisionId);
  });
});

describe("alias pages (HTTP level)", () => {
  it("answers 404 for an unknown alias or function, before anything streams", async () => {
    for (const path of [
      "/traffic/us-east-1/orders-api/no-such-alias",
      "/traffic/us-east-1/no-such-fn/live",
    ]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(404);
    }
    expect((await fetch(`${base}/traffic/us-east-1/orders-api/live`)).status).toBe(200);
  });
});

describe("operator in the browser", () => {
  it("signs in with the one-time token and shifts orders-api:live to 30 %, exactly as the CLI reads it", async () => {
    const token = readFileSync(path.join(own.dir, "login-token"), "utf8").trim();
    const page = await session.open("/login?returnTo=/traffic/us-east-1/orders-api/live");
    await page.getByLabel("Login token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => u.pathname === "/traffic/us-east-1/orders-api/live");
    // The token is one-time: a second use is refused.
    expect((await post("/api/auth/login", { token })).status).toBe(401);
    cookie = (await session.context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");

    const current = await getAlias("orders-api");
    await choose(page, "Primary version", current.FunctionVersion === "13" ? "12" : current.FunctionVersion);
    await choose(page, "Additional version", "13");
    await page.getByLabel("Weight percent").fill("30");
    await page.getByRole("button", { name: "Apply" }).click();
    // Nothing is sent before the confirmation: it names the change and the revision it is based on.
    const confirm = page.getByTestId("confirm-change");
    expect(await confirm.getByTestId("confirm-after").textContent()).toBe("v12 70% / v13 30%");
    expect(await confirm.getByTestId("confirm-revision").textContent()).toBe(current.RevisionId);
    expect((await getAlias("orders-api")).RevisionId).toBe(current.RevisionId);
    await confirm.getByRole("button", { name: "Confirm Apply" }).click();
    await page.getByText("Applied: v12 70% / v13 30%.").waitFor();
    const after = await getAlias("orders-api");
    expect(after.RoutingConfig?.AdditionalVersionWeights).toEqual({ "13": 0.3 });
    // The editor shows the new state at once: new revision, Roll back and Apply usable without a reload.
    await page.getByText(`revision ${after.RevisionId}`).waitFor();
    expect(await page.getByRole("button", { name: "Roll back to v12" }).isEnabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Apply" }).isEnabled()).toBe(true);
  });

  it("rolls back from the same page without a reload, then starts and aborts a plan, each confirmed", async () => {
    const page = await session.open("/traffic/us-east-1/orders-api/live");
    const before = await getAlias("orders-api");
    expect(before.RoutingConfig?.AdditionalVersionWeights).toEqual({ "13": 0.3 });
    await page.getByRole("button", { name: "Roll back to v12" }).click();
    const confirm = page.getByTestId("confirm-change");
    expect(await confirm.getByTestId("confirm-before").textContent()).toBe("v12 70% / v13 30%");
    expect(await confirm.getByTestId("confirm-after").textContent()).toBe("v12 100%");
    // Cancel sends nothing, and neither does Escape: the dialog closes, the alias keeps its revision.
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await confirm.waitFor({ state: "hidden" });
    expect((await getAlias("orders-api")).RevisionId).toBe(before.RevisionId);
    await page.getByRole("button", { name: "Roll back to v12" }).click();
    await confirm.waitFor();
    await page.keyboard.press("Escape");
    await confirm.waitFor({ state: "hidden" });
    expect((await getAlias("orders-api")).RevisionId).toBe(before.RevisionId);
    await page.getByRole("button", { name: "Roll back to v12" }).click();
    await confirm.getByRole("button", { name: "Confirm Roll back to v12" }).click();
    await page.getByText("Rolled back to v12.").waitFor();
    const rolled = await getAlias("orders-api");
    expect([rolled.FunctionVersion, rolled.RoutingConfig?.AdditionalVersionWeights ?? {}]).toEqual([
      "12",
      {},
    ]);
    await page.getByText(`revision ${rolled.RevisionId}`).waitFor();

    // A plan, confirmed against the current revision (a long step: it stays on its canary weight).
    await choose(page, "New version", "13");
    await page.getByLabel("Step seconds").fill("3600");
    await page.getByRole("button", { name: "Start plan" }).click();
    expect(await confirm.getByTestId("confirm-after").textContent()).toBe(
      "v12 90% / v13 10% first, then v13 100%",
    );
    expect(await confirm.getByTestId("confirm-revision").textContent()).toBe(rolled.RevisionId);
    await confirm.getByRole("button", { name: "Confirm Start canary plan to v13" }).click();
    await page.getByRole("button", { name: "Abort plan and roll back" }).waitFor();
    // The old message is about another state: gone while the plan runs.
    expect(await page.getByText("Rolled back to v12.").count()).toBe(0);
    const startRow = page.locator('tr[data-audit-action="plan.start"]').first();
    expect(await startRow.textContent()).toContain("v12 100% → v13 100%");
    await waitFor(
      "the canary weight",
      async () => (await getAlias("orders-api")).RoutingConfig?.AdditionalVersionWeights?.["13"] === 0.1,
      20_000,
    );

    await page.reload();
    await page.getByRole("button", { name: "Abort plan and roll back" }).click();
    expect(await confirm.getByTestId("confirm-after").textContent()).toBe("v12 100%");
    await confirm.getByRole("button", { name: "Confirm Abort plan and roll back" }).click();
    await page.getByTestId("plan-status").filter({ hasText: "Plan aborted" }).waitFor();
    // The page shows the plan ended, without a reload: no Abort button, the form to start one is back.
    await page.getByRole("button", { name: "Start plan" }).waitFor();
    expect(await page.locator('li[data-plan-status="running"]').count()).toBe(0);
    expect(await page.locator('li[data-plan-status="aborted"]').count()).toBeGreaterThan(0);
    const final = await getAlias("orders-api");
    expect([final.FunctionVersion, final.RoutingConfig?.AdditionalVersionWeights ?? {}]).toEqual(["12", {}]);
  });

  it("reports a concurrent CLI change as a conflict and overwrites nothing", async () => {
    const page = await session.open("/traffic/us-east-1/orders-api/live");
    await page.getByLabel("Weight percent").waitFor();
    await setRouting("orders-api", "13=0.2");
    await page.getByLabel("Weight percent").fill("50");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.getByRole("button", { name: "Confirm Apply" }).click();
    // The weight editor's own alert (Next's route announcer and the plan form have role=alert too).
    const alert = page.locator('[role="alert"][data-error-code]');
    await alert.waitFor();
    expect(await alert.getAttribute("data-error-code")).toBe("Conflict");
    expect(await alert.textContent()).toContain("v13 20%");
    expect((await getAlias("orders-api")).RoutingConfig?.AdditionalVersionWeights).toEqual({ "13": 0.2 });
  });
});

describe("a failing canary (payments-api:live, planted: v7 + v8 at 30 %, v8 failing 15 %)", () => {
  const target = { region: "us-east-1", functionName: "payments-api", alias: "live" };
  let operatorCookie = "";
  interface AuditJson {
    account: string;
    roleArn: string | null;
    action: string;
    outcome: string;
    reason: string;
    detail: string;
  }
  const auditOf = async () =>
    (
      (await (await fetch(`${base}/api/traffic/audit?function=payments-api&alias=live`)).json()) as {
        entries: AuditJson[];
      }
    ).entries;

  beforeAll(async () => {
    // An operator session of its own (this block does not depend on the sign-in test having run).
    const jwt = await openConsoleSession(own.dir, SECRET, {
      id: "e2e-verdict",
      name: "e2e-verdict",
      role: "operator",
      via: "oidc",
    });
    operatorCookie = `fleetscope_session=${jwt}`;
    await session.context.addCookies([{ name: "fleetscope_session", value: jwt, url: base }]);
    const live = await getAlias("payments-api");
    expect([live.FunctionVersion, live.RoutingConfig?.AdditionalVersionWeights]).toEqual(["7", { "8": 0.3 }]);
  });

  it("is 'failing' on the /traffic list (banner and health column), found by the health filter and by search", async () => {
    // The list judges the collector's store: wait for this console's collector to have the canary's minutes.
    const page = await session.open("/traffic?health=failing");
    const row = page.locator('tr[data-alias="payments-api:live"]');
    await waitFor(
      "the list to call payments-api:live failing",
      async () => {
        await page.reload({ waitUntil: "load" });
        return (await row.count()) === 1 && (await row.locator('[data-health="failing"]').count()) === 1;
      },
      240_000,
    );
    expect(await row.locator('[data-testid="health"]').textContent()).toContain("failing");
    // The link to the alias page names its account.
    expect(await row.locator("a").first().getAttribute("href")).toMatch(
      /^\/traffic\/us-east-1\/payments-api\/live\?account=\d{12}$/,
    );
    expect(await page.getByTestId("failing-canaries").textContent()).toContain("payments-api:live");
    // Only failing rows under ?health=failing; search narrows by words; healthy does not list it.
    const healths = await page
      .locator('[data-testid="health"] [data-health]')
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-health")));
    expect(healths.length).toBeGreaterThan(0);
    expect(new Set(healths)).toEqual(new Set(["failing"]));
    const search = await session.open("/traffic?q=payments%20live");
    expect(await search.locator("tbody tr").count()).toBeGreaterThan(0);
    expect(
      await search
        .locator("tbody tr")
        .evaluateAll((els) => els.every((e) => (e.getAttribute("data-alias") ?? "").startsWith("payments"))),
    ).toBe(true);
    await search.getByLabel("Health filter").selectOption("healthy");
    await search.getByRole("button", { name: "Filter" }).click();
    await search.waitForURL((u) => u.searchParams.get("health") === "healthy");
    expect(await search.locator('tr[data-alias="payments-api:live"]').count()).toBe(0);
  }, 300_000);

  it("shows the verdict with its comparison, and refuses Promote without an override and a reason", async () => {
    const page = await session.open("/traffic/us-east-1/payments-api/live");
    const verdict = page.getByTestId("verdict");
    expect(await verdict.getAttribute("data-health")).toBe("failing");
    expect(await page.getByTestId("verdict-summary").textContent()).toMatch(
      /^v8 \d+\.\d %.* errors \(95 % CI [\d.]+ %–[\d.]+ %\) vs v7 .*: failing$/,
    );
    expect(await page.getByTestId("verdict-because").textContent()).toMatch(
      /v8's lower bound .* > v7's upper bound .* \+ 2\.0 % allowed/,
    );
    const promote = page.getByRole("button", { name: /Promote failing v8 to 100%/ });
    expect(await promote.getAttribute("data-danger")).toBe("true");
    expect(await promote.isDisabled()).toBe(true);

    const live = await getAlias("payments-api");
    const refused = await post(
      "/api/traffic/promote",
      { ...target, revisionId: live.RevisionId },
      { cookie: operatorCookie },
    );
    expect(refused.status).toBe(409);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("Conflict");
    expect(body.error.message).toMatch(/v8 is failing .*tick the override and give a reason/);
    const noReason = await post(
      "/api/traffic/promote",
      { ...target, revisionId: live.RevisionId, override: true, reason: " " },
      { cookie: operatorCookie },
    );
    expect(noReason.status).toBe(400);
    expect((await getAlias("payments-api")).RevisionId).toBe(live.RevisionId);
    const rejected = (await auditOf()).find((e) => e.action === "promote" && e.outcome === "rejected");
    expect(rejected?.detail).toMatch(/^refused without override: v8 .*: failing$/);
    // One account, read with the console's own credentials: the entry names it, and no role.
    expect(rejected?.account).toMatch(/^\d{12}$/);
    expect(rejected?.roleArn).toBeNull();
  });

  it("promotes with the override and a reason, audited with both, then the alias is restored", async () => {
    const page = await session.open("/traffic/us-east-1/payments-api/live");
    const promote = page.getByRole("button", { name: /Promote failing v8 to 100%/ });
    await page.getByLabel("Override the failing verdict").check();
    expect(await promote.isDisabled()).toBe(true); // a reason is still missing
    await page.getByLabel("Override reason").fill("INC-4711: v7 leaks card tokens, v8's errors are retried");
    await promote.click();
    const confirm = page.getByTestId("confirm-change");
    expect(await confirm.getByTestId("confirm-after").textContent()).toBe("v8 100%");
    expect(await confirm.textContent()).toContain("Overriding a failing verdict");
    await confirm.getByRole("button", { name: "Confirm Promote v8 to 100%" }).click();
    try {
      await page.getByText("Promoted v8 to 100%.").waitFor();
      const after = await getAlias("payments-api");
      expect(after.FunctionVersion).toBe("8");
      expect(after.RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});
      const entry = (await auditOf()).find((e) => e.action === "promote" && e.outcome === "applied");
      expect(entry?.reason).toBe("INC-4711: v7 leaks card tokens, v8's errors are retried");
      expect(entry?.detail).toMatch(/OVERRIDE of a failing verdict: v8 .*: failing/);
    } finally {
      // Back to the planted canary, for the tests below and any rerun.
      await setRouting("payments-api", "8=0.3", "7");
    }
    const restored = await getAlias("payments-api");
    expect([restored.FunctionVersion, restored.RoutingConfig?.AdditionalVersionWeights]).toEqual([
      "7",
      { "8": 0.3 },
    ]);
  });
});

describe("plans run by the console server", () => {
  it("rolls a canary of the failing payments-api v8 back when its error-rate guard trips", async () => {
    const live = await getAlias("payments-api");
    await setRouting("payments-api", "", live.FunctionVersion);
    const res = await post("/api/traffic/plans", {
      region: "us-east-1",
      functionName: "payments-api",
      alias: "live",
      newVersion: "8",
      kind: "canary",
      // v8 fails 15 % of its requests. The guard passes only at ≤ stable + 1 %: with ≥ 40 invocations judged that
      // is 0 errors below 84 invocations, a chance of 0.85^40 = 0.15 % at most (with 15 invocations and +5 %, as
      // before, 9–18 %: the test then failed about one run in eight). 50 % of payments-api's quietest minute
      // supplies the 40 within MAX_WAIT_FACTOR steps (clock-replay checks it).
      stepPercent: 50,
      stepSeconds: 90,
      maxErrorRateIncreasePercent: 1,
      maxP99Ratio: null,
      minInvocations: 40,
    });
    expect(res.status).toBe(200);
    const { result } = (await res.json()) as { result: PlanJson };
    const done = await waitFor(
      "the canary to end",
      async () => {
        const p = await plan(result.id);
        return p && p.state.status !== "running" ? p : null;
      },
      300_000,
    );
    expect(done.state.status).toBe("rolled_back");
    expect(done.state.reason).toMatch(/errorRate/);
    const after = await getAlias("payments-api");
    expect(after.RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});
    expect(await audit(result.id)).toEqual([
      "plan.start:noted",
      "plan.step:applied",
      "plan.rollback:applied",
    ]);
    const page = await session.open("/traffic/us-east-1/payments-api/live");
    await page.locator('[data-audit-action="plan.rollback"]').first().waitFor();
    // Back to the planted canary (v8 at 30 %), for the files after this one (the Errors view's canary) and reruns.
    await setRouting("payments-api", "8=0.3", "7");
  }, 360_000);

  it("resumes a plan after the console is killed and restarted", async () => {
    const live = await getAlias("orders-api");
    await setRouting("orders-api", "", "12");
    const res = await post("/api/traffic/plans", {
      region: "us-east-1",
      functionName: "orders-api",
      alias: "live",
      newVersion: "13",
      kind: "linear",
      stepPercent: 40,
      stepSeconds: 60,
      maxErrorRateIncreasePercent: 20,
      maxP99Ratio: null,
      minInvocations: 3,
    });
    expect(res.status).toBe(200);
    const { result } = (await res.json()) as { result: PlanJson };
    await waitFor("step 1", async () => (await plan(result.id))?.state.step === 0, 30_000);
    expect(live.RevisionId).not.toBe((await getAlias("orders-api")).RevisionId);
    await own.stop("SIGKILL");
    await own.restart();
    const done = await waitFor(
      "the plan to finish",
      async () => {
        const p = await plan(result.id);
        return p && p.state.status !== "running" ? p : null;
      },
      400_000,
    );
    expect(done.state.status).toBe("succeeded");
    expect((await getAlias("orders-api")).FunctionVersion).toBe("13");
    const steps = await audit(result.id);
    expect(steps).toContain("plan.resume:noted");
    expect(steps.at(-1)).toBe("plan.promote:applied");
  }, 480_000);
});

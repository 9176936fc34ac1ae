/** The traffic side's store: database URLs, plans, leases, settings and the audit log (with its CSV export). */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import type { AccountId } from "@/lib/core/accounts/account-id";
import { auditToCsv } from "@/lib/core/traffic/audit";
import { initialPlanState, type PlanSpec } from "@/lib/core/traffic/plan";
import { epochMs, ratio, seconds } from "@/lib/core/units";
import { createAuditLog } from "@/lib/store/audit-log";
import { openDatabase, resolveDatabaseTarget, type Db } from "@/lib/store/database";
import { createLeases } from "@/lib/store/leases";
import { MIGRATIONS } from "@/lib/store/migrations";
import { createPlanStore } from "@/lib/store/plans";
import { createSettings } from "@/lib/store/settings";
import { describeStores } from "../../support/stores";

const dbs: Db[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dbs.splice(0)) await d.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const spec: PlanSpec = {
  account: "111111111111" as AccountId,
  region: "us-east-1",
  functionName: "payments-api",
  alias: "live",
  stableVersion: "7",
  newVersion: "8",
  shape: { kind: "canary", weight: ratio(0.1), stepSeconds: seconds(60) },
  guards: { maxErrorRateIncrease: ratio(0.02), maxP99Ratio: null, alarmName: null, minInvocations: 10 },
  maxWaitFactor: 3,
};

describe("database", () => {
  it("resolves supported URLs and refuses others", () => {
    expect(resolveDatabaseTarget("file:.data/x.db", "/srv")).toEqual({
      dialect: "sqlite",
      file: "/srv/.data/x.db",
    });
    expect(resolveDatabaseTarget("sqlite:///var/lib/fs.db", "/srv")).toEqual({
      dialect: "sqlite",
      file: "/var/lib/fs.db",
    });
    expect(resolveDatabaseTarget(":memory:", "/srv")).toEqual({ dialect: "sqlite", file: ":memory:" });
    expect(resolveDatabaseTarget("postgres://db/fleetscope", "/srv")).toEqual({
      dialect: "postgres",
      connectionString: "postgres://db/fleetscope",
    });
    expect(() => resolveDatabaseTarget("mysql://db/fleetscope", "/srv")).toThrow(/not supported/);
  });

  it("migrates a SQLite file once, and a second opener sees the same data", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "fs-store-"));
    dirs.push(dir);
    const a = openDatabase(`file:${dir}/db/fs.db`);
    dbs.push(a);
    await createSettings(a).set("k", "v");
    const b = openDatabase(`file:${dir}/db/fs.db`);
    dbs.push(b);
    expect(await createSettings(b).get("k")).toBe("v");
    const { rows } = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM schema_migrations`.execute(b.kysely);
    expect(rows[0]?.n).toBe(MIGRATIONS.length);
  });
});

describeStores("traffic store", (fresh) => {
  it("allows one running plan per alias and persists state updates", async () => {
    const plans = createPlanStore(await fresh());
    const p = await plans.create({ actor: "op", spec, state: initialPlanState(), now: 1 });
    await expect(plans.create({ actor: "op", spec, state: initialPlanState(), now: 2 })).rejects.toThrow(
      /already running/,
    );
    await plans.save(p.id, {
      state: { status: "running", step: 0, stepStartedAt: epochMs(5), reason: null },
      now: 5,
      lastRevisionId: "r1",
    });
    expect((await plans.get(p.id))?.state.step).toBe(0);
    expect((await plans.get(p.id))?.lastRevisionId).toBe("r1");
    await plans.save(p.id, { state: { ...initialPlanState(), status: "rolled_back" }, now: 6 });
    expect(await plans.running()).toEqual([]);
    // Once it is no longer running, the alias is free for a new plan.
    expect((await plans.create({ actor: "op", spec, state: initialPlanState(), now: 7 })).id).not.toBe(p.id);
    expect((await plans.get(p.id))?.lastRevisionId).toBe("r1");
  });

  it("gives a lease to one owner until it expires or is released", async () => {
    const leases = createLeases(await fresh());
    expect(await leases.acquire("a", "one", 0, 1000)).not.toBeNull();
    expect(await leases.acquire("a", "two", 500, 1000)).toBeNull();
    expect(await leases.acquire("a", "one", 900, 1000)).not.toBeNull(); // renewal moves expiry to 1900
    expect(await leases.acquire("a", "two", 1500, 1000)).toBeNull();
    expect(await leases.acquire("a", "two", 1900, 1000)).not.toBeNull();
    expect((await leases.holder("a", 2000))?.owner).toBe("two");
    await leases.releaseAll("two");
    expect(await leases.acquire("a", "one", 2001, 1000)).not.toBeNull();
  });

  it("consumes a setting exactly once", async () => {
    const s = createSettings(await fresh());
    await s.set("t", "h");
    expect(await s.consume("t", "wrong")).toBe(false);
    expect(await s.consume("t", "h")).toBe(true);
    expect(await s.consume("t", "h")).toBe(false);
    expect(await s.getOrInit("secret", () => "a")).toBe("a");
    expect(await s.getOrInit("secret", () => "b")).toBe("a");
  });

  it("takes a setting once: the value to exactly one of several racing callers", async () => {
    const db = await fresh();
    await createSettings(db).set("once", "v");
    const taken = await Promise.all(Array.from({ length: 4 }, () => createSettings(db).take("once")));
    expect(taken.filter((v) => v !== null)).toEqual(["v"]);
    expect(await createSettings(db).get("once")).toBeNull();
    expect(await createSettings(db).take("never-set")).toBeNull();
  });

  it("lists settings by key prefix, taking the prefix literally", async () => {
    const s = createSettings(await fresh());
    for (const key of ["tok:b", "tok:a", "tok_x", "Tok:c", "other"]) await s.set(key, key.toUpperCase());
    expect(await s.withPrefix("tok:")).toEqual([
      { key: "tok:a", value: "TOK:A" },
      { key: "tok:b", value: "TOK:B" },
    ]);
    expect(await s.withPrefix("tok_")).toEqual([{ key: "tok_x", value: "TOK_X" }]);
  });

  it("records, filters and exports audit entries with routing before/after", async () => {
    const log = createAuditLog(await fresh());
    const base = {
      actor: "op",
      account: "111111111111",
      region: "us-east-1",
      functionName: "payments-api",
      alias: "live",
      reason: 'canary, "careful"',
      planId: null,
      roleArn: null,
    };
    await log.record({
      ...base,
      at: epochMs(Date.UTC(2026, 0, 1)),
      action: "shift",
      before: { primaryVersion: "7", routing: null },
      after: { primaryVersion: "7", routing: { additionalVersion: "8", weight: ratio(0.3) } },
      outcome: "applied",
      detail: "ok",
    });
    await log.record({
      ...base,
      account: "222222222222",
      roleArn: "arn:aws:iam::222222222222:role/fleetscope",
      alias: "beta",
      at: epochMs(2),
      action: "rollback",
      before: null,
      after: null,
      outcome: "conflict",
      detail: "=cmd",
    });
    expect((await log.list()).map((e) => e.alias)).toEqual(["beta", "live"]);
    const live = await log.list({ alias: "live" });
    expect(live).toHaveLength(1);
    expect(live[0]?.after?.routing?.weight).toBe(0.3);
    expect((await log.list({ account: "222222222222" })).map((e) => [e.alias, e.roleArn])).toEqual([
      ["beta", "arn:aws:iam::222222222222:role/fleetscope"],
    ]);
    expect(await log.list({ account: "333333333333" })).toEqual([]);
    const csv = auditToCsv(await log.list());
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe(
      "id,at,actor,region,function,alias,action,before,after,reason,outcome,detail,plan_id,account,role_arn",
    );
    expect(lines[1]).toMatch(/^\d+,[^,]+,op,us-east-1,payments-api,beta,/);
    expect(lines[1]).toMatch(/,222222222222,arn:aws:iam::222222222222:role\/fleetscope$/);
    expect(lines[2]).toMatch(/,ok,,\d{12},$/);
    expect(lines[2]).toContain('v7 100%,v7 70% / v8 30%,"canary, ""careful""",applied,ok');
    expect(lines[1]).toContain("'=cmd");
  });
});

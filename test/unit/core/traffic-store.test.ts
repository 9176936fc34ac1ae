import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { auditToCsv } from "@/lib/core/traffic/audit";
import { initialPlanState, type PlanSpec } from "@/lib/core/traffic/plan";
import { epochMs, ratio, seconds } from "@/lib/core/units";
import { createAuditLog } from "@/lib/store/audit-log";
import { openDatabase, resolveDatabasePath, type Db } from "@/lib/store/database";
import { createLeases } from "@/lib/store/leases";
import { MIGRATIONS } from "@/lib/store/migrations";
import { createPlanStore } from "@/lib/store/plans";
import { createSettings } from "@/lib/store/settings";

const dbs: Db[] = [];
const dirs: string[] = [];
const mem = () => {
  const db = openDatabase(":memory:");
  dbs.push(db);
  return db;
};
afterEach(() => {
  for (const d of dbs.splice(0)) d.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const spec: PlanSpec = {
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
    expect(resolveDatabasePath("file:.data/x.db", "/srv")).toBe("/srv/.data/x.db");
    expect(resolveDatabasePath("sqlite:///var/lib/fs.db", "/srv")).toBe("/var/lib/fs.db");
    expect(resolveDatabasePath(":memory:", "/srv")).toBe(":memory:");
    expect(() => resolveDatabasePath("postgres://db/fleetscope", "/srv")).toThrow(/not supported/);
  });

  it("migrates a file once, and a second opener sees the same data", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "fs-store-"));
    dirs.push(dir);
    const a = openDatabase(`file:${dir}/db/fs.db`);
    dbs.push(a);
    createSettings(a).set("k", "v");
    const b = openDatabase(`file:${dir}/db/fs.db`);
    dbs.push(b);
    expect(createSettings(b).get("k")).toBe("v");
    expect((b.prepare("SELECT COUNT(*) n FROM schema_migrations").get() as { n: number }).n).toBe(
      MIGRATIONS.length,
    );
  });
});

describe("plans", () => {
  it("allows one running plan per alias and persists state updates", () => {
    const plans = createPlanStore(mem());
    const p = plans.create({ actor: "op", spec, state: initialPlanState(), now: 1 });
    expect(() => plans.create({ actor: "op", spec, state: initialPlanState(), now: 2 })).toThrow(
      /already running/,
    );
    plans.save(p.id, {
      state: { status: "running", step: 0, stepStartedAt: epochMs(5), reason: null },
      now: 5,
      lastRevisionId: "r1",
    });
    expect(plans.get(p.id)?.state.step).toBe(0);
    expect(plans.get(p.id)?.lastRevisionId).toBe("r1");
    plans.save(p.id, { state: { ...initialPlanState(), status: "rolled_back" }, now: 6 });
    expect(plans.running()).toEqual([]);
    // Once it is no longer running, the alias is free for a new plan.
    expect(plans.create({ actor: "op", spec, state: initialPlanState(), now: 7 }).id).not.toBe(p.id);
    expect(plans.get(p.id)?.lastRevisionId).toBe("r1");
  });
});

describe("leases", () => {
  it("gives a key to one owner until it expires or is released", () => {
    const leases = createLeases(mem());
    expect(leases.acquire("a", "one", 0, 1000)).toBe(true);
    expect(leases.acquire("a", "two", 500, 1000)).toBe(false);
    expect(leases.acquire("a", "one", 900, 1000)).toBe(true); // renewal moves expiry to 1900
    expect(leases.acquire("a", "two", 1500, 1000)).toBe(false);
    expect(leases.acquire("a", "two", 1900, 1000)).toBe(true);
    expect(leases.holder("a", 2000)).toBe("two");
    leases.releaseAll("two");
    expect(leases.acquire("a", "one", 2001, 1000)).toBe(true);
  });
});

describe("settings", () => {
  it("consumes a value exactly once", () => {
    const s = createSettings(mem());
    s.set("t", "h");
    expect(s.consume("t", "wrong")).toBe(false);
    expect(s.consume("t", "h")).toBe(true);
    expect(s.consume("t", "h")).toBe(false);
    expect(s.getOrInit("secret", () => "a")).toBe("a");
    expect(s.getOrInit("secret", () => "b")).toBe("a");
  });
});

describe("audit log", () => {
  it("records, filters and exports entries with routing before/after", () => {
    const log = createAuditLog(mem());
    const base = {
      actor: "op",
      region: "us-east-1",
      functionName: "payments-api",
      alias: "live",
      reason: 'canary, "careful"',
      planId: null,
    };
    log.record({
      ...base,
      at: epochMs(Date.UTC(2026, 0, 1)),
      action: "shift",
      before: { primaryVersion: "7", routing: null },
      after: { primaryVersion: "7", routing: { additionalVersion: "8", weight: ratio(0.3) } },
      outcome: "applied",
      detail: "ok",
    });
    log.record({
      ...base,
      alias: "beta",
      at: epochMs(2),
      action: "rollback",
      before: null,
      after: null,
      outcome: "conflict",
      detail: "=cmd",
    });
    expect(log.list().map((e) => e.alias)).toEqual(["beta", "live"]);
    const live = log.list({ alias: "live" });
    expect(live).toHaveLength(1);
    expect(live[0]?.after?.routing?.weight).toBe(0.3);
    const csv = auditToCsv(log.list());
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe(
      "id,at,actor,region,function,alias,action,before,after,reason,outcome,detail,plan_id",
    );
    expect(lines[2]).toContain('v7 100%,v7 70% / v8 30%,"canary, ""careful""",applied,ok');
    expect(lines[1]).toContain("'=cmd");
  });
});

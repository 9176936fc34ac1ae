/**
 * getErrorGroups over the real error, telemetry and inventory stores on an in-memory database: rows of one fingerprint merge across minutes, versions and functions; a
 * group only in an alias's canary version is marked; failed requests reconcile with the Errors metric over the
 * minutes both sources cover, and say why when they do not; what was not collected is null, never 0 — error rows
 * are covered by their own coverage, so minutes whose REPORT lines were read but errors not are not "no errors";
 * partly read minutes are returned.
 */
import { describe, expect, it } from "vitest";
import { parseAccountId } from "@/lib/core/accounts";
import type { Alias, FunctionConfig } from "@/lib/core/lambda/types";
import { emptyLog, emptyMetric } from "@/lib/core/rollup/types";
import { bucketRange } from "@/lib/core/time/bucket";
import { bytes, epochMs, mb, ratio, seconds } from "@/lib/core/units";
import type { ErrorGroupRow } from "@/lib/core/error-groups/types";
import { getErrorGroups, type ErrorsDeps } from "@/lib/data/errors";
import { openDatabase } from "@/lib/store/database";
import { createErrorStore } from "@/lib/store/errors";
import { createInventoryStore } from "@/lib/store/inventory";
import { createTelemetryStore } from "@/lib/store/telemetry";

const REGION = "us-east-1";
const ACCOUNT = parseAccountId("123456789012");
const SCOPE = { account: ACCOUNT, region: REGION };
const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 7, 10, 0);
const NOW = T0 + 120 * MIN;
/** 10:00–11:00, 5-minute chart slots. */
const RANGE = bucketRange({ start: epochMs(T0), end: epochMs(T0 + 60 * MIN) }, epochMs(NOW), seconds(300));

const config = (name: string, extra: Record<string, unknown> = {}): FunctionConfig =>
  ({
    region: REGION,
    name,
    arn: `arn:aws:lambda:${REGION}:123456789012:function:${name}`,
    version: "$LATEST",
    description: "",
    runtime: "nodejs20.x",
    packageType: "Zip",
    architecture: "arm64",
    memory: mb(512),
    timeout: seconds(30),
    ephemeralStorage: mb(512),
    codeSize: bytes(1000),
    codeSha256: "sha",
    envVarsSize: bytes(0),
    layers: [],
    lastModified: epochMs(0),
    logGroup: `/aws/lambda/${name}`,
    logFormat: "Text",
    tracing: "Active",
    snapStart: false,
    revisionId: "r1",
    ...extra,
  }) as FunctionConfig;

const live: Alias = {
  name: "live",
  arn: `arn:aws:lambda:${REGION}:123456789012:function:payments-api:live`,
  functionVersion: "7",
  description: "",
  routing: { additionalVersion: "8", weight: ratio(0.3) },
  revisionId: "a1",
};

let ids = 0;
function row(p: Partial<ErrorGroupRow> & Pick<ErrorGroupRow, "fn" | "t" | "fingerprint">): ErrorGroupRow {
  const count = p.count ?? 1;
  return {
    account: ACCOUNT,
    region: REGION,
    version: "7",
    kind: "unhandled",
    errorType: "TypeError",
    pattern: "Cannot read properties of undefined (reading <str>)",
    sample: "Cannot read properties of undefined (reading 'id')",
    frame: null,
    count,
    firstMs: p.t + 1000,
    lastMs: p.t + 2000,
    examples: Array.from({ length: Math.min(count, 3) }, (_, i) => ({
      requestId: `req-${++ids}`,
      atMs: p.t + 1000 + i,
      traceId: null,
    })),
    ...p,
  };
}

async function setup(opts: { errorsTo?: number; metricsTo?: number; configs?: FunctionConfig[] } = {}) {
  const db = openDatabase(":memory:");
  const telemetry = createTelemetryStore(db);
  const inventory = createInventoryStore(db);
  const errors = createErrorStore(db);
  const configs = opts.configs ?? [config("payments-api"), config("orders")];
  await inventory.putConfigs(SCOPE, configs, NOW);
  await inventory.putDetails(
    SCOPE,
    "payments-api",
    { aliases: [live], reservedConcurrency: null, provisioned: [] },
    "r1",
    NOW,
  );
  if (opts.errorsTo !== undefined)
    await errors.putWindow(SCOPE, { from: T0 - 60 * MIN, to: opts.errorsTo }, [], [], NOW);
  // The REPORT rollups are collected over the whole span: they say nothing about error rows.
  await telemetry.setCoverage(SCOPE, "logs", 60, T0 - 60 * MIN, T0 + 60 * MIN, NOW);
  if (opts.metricsTo !== undefined)
    await telemetry.setCoverage(SCOPE, "metrics", 60, T0 - 60 * MIN, opts.metricsTo, NOW);
  const metric = (fn: string, t: number, errs: number, invocations = 10) =>
    telemetry.putMetrics([{ ...emptyMetric(SCOPE, fn, 60, t), errors: errs, invocations }]);
  const reports = (fn: string, t: number, n: number) =>
    telemetry.putLogs([{ ...emptyLog(SCOPE, `/aws/lambda/${fn}`, 60, t), reports: n }]);
  const deps: ErrorsDeps = {
    errors: () => errors,
    telemetry: () => telemetry,
    inventory: () => inventory,
    now: () => epochMs(NOW),
  };
  return { errors, telemetry, metric, reports, deps };
}

describe("getErrorGroups", () => {
  it("merges one fingerprint across minutes, versions and functions into one group with a trend", async () => {
    const s = await setup({ errorsTo: T0 + 60 * MIN, metricsTo: T0 + 60 * MIN });
    await s.errors.put([
      row({ fn: "payments-api", t: T0 + 1 * MIN, fingerprint: "fp-a", count: 2 }),
      row({ fn: "payments-api", t: T0 + 7 * MIN, fingerprint: "fp-a", count: 3, version: "8" }),
      row({ fn: "orders", t: T0 + 7 * MIN, fingerprint: "fp-a", count: 1, version: "$LATEST" }),
      row({
        fn: "orders",
        t: T0 + 20 * MIN,
        fingerprint: "fp-b",
        count: 9,
        kind: "logged",
        errorType: "Logged",
      }),
    ]);
    const view = await getErrorGroups({ scopes: [SCOPE], range: RANGE }, s.deps);
    expect(view.groups.map((g) => g.fingerprint)).toEqual(["fp-a", "fp-b"]); // failures before logged errors
    const a = view.groups[0]!;
    expect(a.count).toBe(6);
    expect(a.firstMs).toBe(T0 + 1 * MIN + 1000);
    expect(a.lastMs).toBe(T0 + 7 * MIN + 2000);
    expect(a.functions).toEqual([
      { account: ACCOUNT, region: REGION, fn: "payments-api", count: 5 },
      { account: ACCOUNT, region: REGION, fn: "orders", count: 1 },
    ]);
    expect(a.versions.map((v) => [v.fn, v.version, v.count])).toEqual([
      ["payments-api", "8", 3],
      ["payments-api", "7", 2],
      ["orders", "$LATEST", 1],
    ]);
    expect(a.versions[0]!.aliases).toEqual([{ alias: "live", role: "canary", weight: 0.3 }]);
    expect(a.versions[1]!.aliases).toEqual([{ alias: "live", role: "primary", weight: 0.7 }]);
    expect(a.trend).toHaveLength(12);
    expect(a.trend.slice(0, 3).map((p) => p.count)).toEqual([2, 4, 0]);
    expect(a.examples.length).toBeLessThanOrEqual(5);
    expect(a.examples[0]!.atMs).toBeGreaterThanOrEqual(a.examples.at(-1)!.atMs);
    expect(new Set(a.examples.map((e) => e.requestId)).size).toBe(a.examples.length);
    expect(view.awsRequests).toBe(0);
  });

  it("marks a group new in the canary only when the alias's primary version never has it", async () => {
    const s = await setup({ errorsTo: T0 + 60 * MIN, metricsTo: T0 + 60 * MIN });
    await s.errors.put([
      row({ fn: "payments-api", t: T0 + 2 * MIN, fingerprint: "declined", version: "8", count: 4 }),
      row({ fn: "payments-api", t: T0 + 3 * MIN, fingerprint: "both", version: "8" }),
      row({ fn: "payments-api", t: T0 + 4 * MIN, fingerprint: "both", version: "7" }),
      row({ fn: "payments-api", t: T0 + 5 * MIN, fingerprint: "unknown-version", version: "8" }),
      row({ fn: "payments-api", t: T0 + 6 * MIN, fingerprint: "unknown-version", version: null }),
    ]);
    const by = new Map(
      (await getErrorGroups({ scopes: [SCOPE], fn: "payments-api", range: RANGE }, s.deps)).groups.map(
        (g) => [g.fingerprint, g],
      ),
    );
    expect(by.get("declined")!.newInCanary).toEqual([
      { account: ACCOUNT, region: REGION, fn: "payments-api", alias: "live", version: "8" },
    ]);
    expect(by.get("both")!.newInCanary).toEqual([]);
    expect(by.get("unknown-version")!.newInCanary).toEqual([]);
  });

  it("reconciles failed requests with the Errors metric over the minutes both sources cover", async () => {
    // Logs to 10:40, metrics to 10:50: only 10:00–10:40 is compared.
    const s = await setup({ errorsTo: T0 + 40 * MIN, metricsTo: T0 + 50 * MIN });
    await s.errors.put([
      row({ fn: "payments-api", t: T0 + 1 * MIN, fingerprint: "fp-a", count: 2 }),
      row({ fn: "payments-api", t: T0 + 2 * MIN, fingerprint: "fp-t", count: 1, kind: "timeout" }),
      row({ fn: "payments-api", t: T0 + 3 * MIN, fingerprint: "fp-l", count: 5, kind: "logged" }),
    ]);
    await s.metric("payments-api", T0 + 1 * MIN, 2);
    await s.metric("payments-api", T0 + 2 * MIN, 1);
    await s.metric("payments-api", T0 + 45 * MIN, 7); // Outside the logs coverage: not compared.
    await s.reports("payments-api", T0 + 1 * MIN, 20);
    const view = await getErrorGroups({ scopes: [SCOPE], range: RANGE }, s.deps);
    expect(view.windows).toEqual([
      {
        account: ACCOUNT,
        region: REGION,
        errors: { from: T0, to: T0 + 40 * MIN },
        compared: { from: T0, to: T0 + 40 * MIN },
        partialMinutes: [],
      },
    ]);
    expect(view.reconciliation.functions).toEqual([
      expect.objectContaining({ fn: "payments-api", failed: 3, metricErrors: 3, state: "reconciled" }),
    ]);
    expect(view.reconciliation.total).toMatchObject({ failed: 3, metricErrors: 3, state: "reconciled" });
    // Trend slots after 10:40 are not collected: null, not 0.
    const trend = view.groups.find((g) => g.fingerprint === "fp-a")!.trend;
    expect(trend.slice(8).map((p) => p.count)).toEqual([null, null, null, null]);
    expect(trend[7]!.count).toBe(0);
  });

  it("says why the counts differ: errors not logged, a log level that drops ERROR, a missing custom log group", async () => {
    const s = await setup({
      errorsTo: T0 + 60 * MIN,
      metricsTo: T0 + 60 * MIN,
      configs: [
        config("payments-api"),
        config("quiet", { applicationLogLevel: "FATAL" }),
        config("custom", { logGroup: "/org/custom" }),
      ],
    });
    await s.errors.put([row({ fn: "payments-api", t: T0 + 1 * MIN, fingerprint: "fp-a", count: 2 })]);
    await s.metric("payments-api", T0 + 1 * MIN, 5);
    await s.reports("payments-api", T0 + 1 * MIN, 10);
    await s.metric("quiet", T0 + 1 * MIN, 4);
    await s.reports("quiet", T0 + 1 * MIN, 10);
    await s.metric("custom", T0 + 1 * MIN, 1);
    const by = new Map(
      (await getErrorGroups({ scopes: [SCOPE], range: RANGE }, s.deps)).reconciliation.functions.map((f) => [
        f.fn,
        f,
      ]),
    );
    expect(by.get("payments-api")).toMatchObject({ failed: 2, metricErrors: 5, state: "differs" });
    expect(by.get("payments-api")!.reasons.join(" ")).toMatch(/3 errors in the Errors metric .*not logged/);
    expect(by.get("quiet")!.reasons.join(" ")).toMatch(/ApplicationLogLevel is FATAL/);
    expect(by.get("quiet")).toMatchObject({ failed: 0, metricErrors: 4 });
    expect(by.get("custom")!.reasons.join(" ")).toMatch(/custom log group \/org\/custom/);
  });

  it("says more failures in the logs than in the metric", async () => {
    const s = await setup({ errorsTo: T0 + 60 * MIN, metricsTo: T0 + 60 * MIN });
    await s.errors.put([row({ fn: "orders", t: T0 + 1 * MIN, fingerprint: "fp-a", count: 2 })]);
    await s.metric("orders", T0 + 1 * MIN, 1);
    const [f] = (await getErrorGroups({ scopes: [SCOPE], range: RANGE }, s.deps)).reconciliation.functions;
    expect(f).toMatchObject({ failed: 2, metricErrors: 1, state: "differs" });
    expect(f!.reasons[0]).toMatch(/1 more failed requests than the Errors metric/);
  });

  it("reads nothing as absent, not zero, when the minutes are not collected", async () => {
    const s = await setup({ errorsTo: undefined, metricsTo: T0 + 60 * MIN });
    await s.metric("payments-api", T0 + 1 * MIN, 5);
    const view = await getErrorGroups({ scopes: [SCOPE], fn: "payments-api", range: RANGE }, s.deps);
    expect(view.groups).toEqual([]);
    expect(view.windows[0]).toEqual({
      account: ACCOUNT,
      region: REGION,
      errors: null,
      compared: null,
      partialMinutes: [],
    });
    expect(view.reconciliation.functions).toEqual([
      expect.objectContaining({
        fn: "payments-api",
        failed: null,
        metricErrors: null,
        state: "not-collected",
      }),
    ]);
    expect(view.reconciliation.functions[0]!.reasons[0]).toMatch(/not collected|collected yet/);
    expect(view.reconciliation.total).toMatchObject({
      failed: null,
      metricErrors: null,
      state: "not-collected",
    });
    const errors = view.status.coverage.find((c) => c.source === "errors")!;
    expect(errors.collected).toBeNull();
    expect(errors.coveredMs).toBe(0);
  });

  it("reads minutes whose logs are collected but whose errors are not as not collected, never as no errors", async () => {
    // After an upgrade (or a collector without an error store): REPORT rollups cover the range, errors do not.
    const s = await setup({ errorsTo: undefined, metricsTo: T0 + 60 * MIN });
    await s.metric("payments-api", T0 + 1 * MIN, 5);
    await s.reports("payments-api", T0 + 1 * MIN, 10);
    const view = await getErrorGroups({ scopes: [SCOPE], range: RANGE }, s.deps);
    expect(view.windows[0]!.errors).toBeNull();
    expect(view.reconciliation.total.state).toBe("not-collected");
    expect(view.reconciliation.functions).toEqual([]);
  });

  it("returns the partly read minutes of the range, for the page to call their counts lower bounds", async () => {
    const s = await setup({ errorsTo: T0 + 60 * MIN, metricsTo: T0 + 60 * MIN });
    const cut = [row({ fn: "orders", t: T0 + 5 * MIN, fingerprint: "fp-a", count: 3 })];
    await s.errors.putWindow(
      SCOPE,
      { from: T0 + 5 * MIN, to: T0 + 6 * MIN },
      cut,
      [{ t: T0 + 5 * MIN, logGroup: "/aws/lambda/orders" }],
      NOW,
    );
    await s.errors.putWindow(
      SCOPE,
      { from: T0 - 30 * MIN, to: T0 - 29 * MIN },
      [],
      [{ t: T0 - 30 * MIN, logGroup: "/aws/lambda/orders" }],
      NOW,
    ); // Outside the range.
    const view = await getErrorGroups({ scopes: [SCOPE], range: RANGE }, s.deps);
    expect(view.windows[0]!.partialMinutes).toEqual([T0 + 5 * MIN]);
    expect(view.groups[0]!.count).toBe(3);
  });

  it("keeps two accounts' same-named functions apart: counts, versions, examples and reconciliation", async () => {
    const s = await setup({ errorsTo: T0 + 60 * MIN, metricsTo: T0 + 60 * MIN });
    const OTHER = { account: parseAccountId("222222222222"), region: REGION };
    await s.errors.putWindow(OTHER, { from: T0 - 60 * MIN, to: T0 + 60 * MIN }, [], [], NOW);
    await s.telemetry.setCoverage(OTHER, "metrics", 60, T0 - 60 * MIN, T0 + 60 * MIN, NOW);
    await s.errors.put([
      row({ fn: "orders", t: T0 + 1 * MIN, fingerprint: "fp-a", count: 2 }),
      row({ account: OTHER.account, fn: "orders", t: T0 + 2 * MIN, fingerprint: "fp-a", count: 5 }),
    ]);
    await s.metric("orders", T0 + 1 * MIN, 2);
    await s.telemetry.putMetrics([
      { ...emptyMetric(OTHER, "orders", 60, T0 + 2 * MIN), errors: 5, invocations: 9 },
    ]);
    const view = await getErrorGroups({ scopes: [SCOPE, OTHER], range: RANGE }, s.deps);
    expect(view.groups).toHaveLength(1);
    const g = view.groups[0]!;
    expect(g.count).toBe(7);
    expect(g.functions).toEqual([
      { account: OTHER.account, region: REGION, fn: "orders", count: 5 },
      { account: ACCOUNT, region: REGION, fn: "orders", count: 2 },
    ]);
    expect(g.versions.map((v) => [v.account, v.count])).toEqual([
      [OTHER.account, 5],
      [ACCOUNT, 2],
    ]);
    expect(new Set(g.examples.map((e) => e.account))).toEqual(new Set([ACCOUNT, OTHER.account]));
    expect(view.windows.map((w) => w.account)).toEqual([ACCOUNT, OTHER.account]);
    expect(
      view.reconciliation.functions.map((f) => [f.account, f.fn, f.failed, f.metricErrors, f.state]),
    ).toEqual(
      expect.arrayContaining([
        [ACCOUNT, "orders", 2, 2, "reconciled"],
        [OTHER.account, "orders", 5, 5, "reconciled"],
      ]),
    );
    // One account alone reads only its own rows.
    const one = await getErrorGroups({ scopes: [OTHER], range: RANGE }, s.deps);
    expect(one.groups[0]!.functions).toEqual([
      { account: OTHER.account, region: REGION, fn: "orders", count: 5 },
    ]);
  });

  it("gives known zeros when both sources cover the range and nothing failed", async () => {
    const s = await setup({ errorsTo: T0 + 60 * MIN, metricsTo: T0 + 60 * MIN });
    await s.metric("orders", T0 + 1 * MIN, 0);
    const view = await getErrorGroups({ scopes: [SCOPE], range: RANGE }, s.deps);
    expect(view.groups).toEqual([]);
    expect(view.reconciliation.total).toMatchObject({ failed: 0, metricErrors: 0, state: "reconciled" });
  });
});

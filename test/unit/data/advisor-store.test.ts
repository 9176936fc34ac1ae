/**
 * The Advisor judged from the collector's store (lib/data/advisor/collect-store.ts through getFleetAdvice), on a
 * real in-memory SQLite seeded with hourly rollups shaped like the sandbox's planted functions: each planted
 * problem is flagged by its rule, the healthy function is not, a store that covers less than asked says so and
 * judges only that, and missing REPORT lines are "could not judge", never zero. No AWS request is made for the
 * evidence; the only Lambda calls are for published versions whose configuration is not stored yet.
 */
import { describe, expect, it } from "vitest";
import type { CloudWatchPort } from "@/lib/aws/cloudwatch";
import { parseAccountId, type AccountTarget } from "@/lib/core/accounts";
import type { MetricListPort } from "@/lib/aws/cloudwatch-list-metrics";
import type { FunctionMapping, LambdaPort } from "@/lib/aws/lambda";
import type { LogsPort } from "@/lib/aws/logs";
import { DEFAULT_THRESHOLDS, type Flag } from "@/lib/core/advisor";
import type { FunctionConfig } from "@/lib/core/lambda/types";
import type { EventSourceMapping } from "@/lib/core/triggers/types";
import { bucketOf, RELATIVE_ERROR, type Histogram } from "@/lib/core/rollup/histogram";
import {
  emptyLog,
  emptyMetric,
  REGION_ROW,
  type LogRollup,
  type MetricRollup,
  type Resolution,
} from "@/lib/core/rollup/types";
import { mb, ratio, seconds } from "@/lib/core/units";
import { advisorWindow, getFleetAdvice, type AdvisorDeps } from "@/lib/data/advisor";
import { exitCode, toJson, toTable } from "@/lib/data/advisor/cli";
import type { RegionPorts } from "@/lib/data/advisor/collection";
import { judgedLine, type FleetAdvice } from "@/lib/data/advisor/summary";
import { openDatabase } from "@/lib/store/database";
import { createInventoryStore, type FunctionDetails } from "@/lib/store/inventory";
import { createTelemetryStore } from "@/lib/store/telemetry";
import { createVersionConfigStore } from "@/lib/store/version-configs";
import { withRegionLogs, withRegionMetrics } from "@/test/support/region-rows";
import { account, config } from "../core/advisor-fixtures";

const REGION = "us-east-1";
const SCOPE = { account: parseAccountId("000000000000"), region: REGION };
const TARGET: AccountTarget = {
  id: SCOPE.account,
  name: null,
  source: "home",
  roleArn: null,
  externalId: null,
  telemetry: "direct",
};
const ADVISED = [{ target: TARGET, region: REGION }];
const H = 3_600_000;
const NOW = Date.UTC(2026, 10, 23, 12);
/** The last seven days. */
const WINDOW = advisorWindow(NOW, 7);
const ARN = (name: string) => `arn:aws:lambda:${REGION}:000000000000:function:${name}`;

interface Planted {
  config: Partial<FunctionConfig>;
  details?: FunctionDetails;
  /** One hour's metric row and REPORT totals (histogram included) at hour start `t`. */
  metric: (t: number) => Partial<MetricRollup>;
  log: (t: number) => Partial<LogRollup> & { durations: Histogram };
}

const h = (ms: number, n: number): Histogram => ({ [bucketOf(ms)]: n });
const details = (over: Partial<FunctionDetails> = {}): FunctionDetails => ({
  aliases: [],
  reservedConcurrency: null,
  provisioned: [],
  ...over,
});
const steady = (inv: number, avgMs: number, over: Partial<MetricRollup> = {}) => ({
  invocations: inv,
  durationSum: inv * avgMs,
  durationCount: inv,
  durationMax: avgMs * 1.5,
  concurrencyMax: 2,
  ...over,
});
const reports = (inv: number, avgMs: number, memMb: number, over: Partial<LogRollup> = {}) => ({
  reports: inv,
  maxMemoryUsedMb: memMb,
  durationSumMs: inv * avgMs,
  durationMaxMs: avgMs * 1.5,
  durations: h(avgMs, inv),
  ...over,
});
const DAY_OF_TIMEOUTS = Date.UTC(2026, 10, 20);
const onTimeoutDay = (t: number) => t >= DAY_OF_TIMEOUTS && t < DAY_OF_TIMEOUTS + 24 * H;

const PLANTED: Record<string, Planted> = {
  "image-resizer": {
    config: { memory: mb(3008) },
    metric: () => steady(1200, 800),
    // Peak 385 MB somewhere in the window, less elsewhere.
    log: (t) =>
      reports(1200, 800, t === WINDOW.start + 50 * H ? 385 : 360, { coldStarts: 2, initSumMs: 800 }),
  },
  "report-generator": {
    config: { timeout: seconds(30) },
    metric: () => steady(60, 25_000),
    log: () => ({ ...reports(60, 25_000, 700), durations: { ...h(24_900, 58), ...h(28_500, 2) } }),
  },
  "legacy-sync": {
    config: { timeout: seconds(10) },
    // 12% of one day's invocations time out: 1.6% over the week, critical on that day (Trusted Advisor).
    metric: (t) => steady(600, 900, { errors: onTimeoutDay(t) ? 72 : 0 }),
    log: (t) => reports(600, 900, 700, { timeouts: onTimeoutDay(t) ? 72 : 0 }),
  },
  "notify-sms": {
    config: { runtime: "java21" },
    metric: () => steady(100, 300),
    log: () => reports(100, 300, 700, { coldStarts: 10, initSumMs: 22_000, initMaxMs: 2_600 }),
  },
  "checkout-api": {
    config: {},
    details: details({
      provisioned: [{ qualifier: "live", requested: 50, allocated: 50, available: 50, status: "READY" }],
    }),
    metric: () => steady(12_000, 1_200, { concurrencyMax: 4, pcExecutionsMax: 4, pcUtilizationMax: 0.08 }),
    log: () => reports(12_000, 1_200, 700),
  },
  "webhook-ingest": {
    config: {},
    details: details({ reservedConcurrency: 5 }),
    metric: () => steady(1800, 2_500, { throttles: 300, concurrencyMax: 5 }),
    log: () => reports(1800, 2_500, 700),
  },
  "payments-api": {
    config: {},
    details: details({
      aliases: [
        {
          name: "live",
          arn: `${ARN("payments-api")}:live`,
          functionVersion: "7",
          description: "",
          routing: { additionalVersion: "8", weight: ratio(0.3) },
          revisionId: "r",
        },
      ],
    }),
    metric: () => steady(1000, 200, { errors: 150 }),
    log: () => reports(1000, 200, 700),
  },
  // Issue 13's trigger scenarios, as the sandbox plants them (their mappings are in LISTING below).
  "clickstream-consumer": {
    config: { timeout: seconds(60) },
    // Behind since 6 h before the end, 48 more minutes every hour (≈ 4.8 h in the last hour).
    metric: (t) =>
      steady(3000, 400, {
        iteratorAgeMax: t < WINDOW.end - 6 * H ? 900 : ((t - (WINDOW.end - 6 * H)) / H + 1) * 48 * 60_000,
      }),
    log: () => reports(3000, 400, 700),
  },
  "email-sender": {
    config: { timeout: seconds(60) },
    metric: () => steady(200, 1_000),
    log: () => reports(200, 1_000, 700),
  },
  "thumbnail-async": {
    config: {},
    metric: () => steady(500, 300, { asyncDropped: 2 }),
    log: () => reports(500, 300, 700),
  },
  "orders-api": {
    config: {},
    metric: () => steady(1200, 150, { errors: 2 }),
    log: () => reports(1200, 150, 700, { coldStarts: 5, initSumMs: 1_500, initMaxMs: 400 }),
  },
};

const ESM = (over: Partial<EventSourceMapping>): EventSourceMapping => ({
  uuid: "00000000-0000-0000-0000-000000000000",
  sourceArn: null,
  kind: "sqs",
  state: "Enabled",
  stateReason: "USER_INITIATED",
  lastProcessingResult: null,
  batchSize: 10,
  batchingWindowSeconds: seconds(0),
  startingPosition: null,
  filters: [],
  bisectOnError: null,
  reportBatchItemFailures: false,
  onFailureDestination: null,
  maxRetries: null,
  maxRecordAgeSeconds: null,
  parallelizationFactor: null,
  lastModified: null,
  metrics: [],
  ...over,
});
const QUEUE = (name: string) => `arn:aws:sqs:${REGION}:000000000000:${name}`;
/** The region's event source mappings, as ListEventSourceMappings returns them. */
const LISTING: FunctionMapping[] = [
  {
    functionName: "clickstream-consumer",
    qualifier: null,
    mapping: ESM({
      uuid: "11111111-0000-0000-0000-000000000000",
      sourceArn: `arn:aws:kinesis:${REGION}:000000000000:stream/clickstream`,
      kind: "kinesis",
      batchSize: 100,
      startingPosition: "LATEST",
      parallelizationFactor: 1,
      lastProcessingResult: "OK",
    }),
  },
  {
    functionName: "email-sender",
    qualifier: null,
    mapping: ESM({ uuid: "22222222-0000-0000-0000-000000000000", sourceArn: QUEUE("email-outbound") }),
  },
  {
    functionName: "legacy-sync",
    qualifier: null,
    mapping: ESM({
      uuid: "33333333-0000-0000-0000-000000000000",
      sourceArn: QUEUE("legacy-sync-jobs"),
      state: "Disabled",
    }),
  },
];

interface Seed {
  metricsFrom?: number | null;
  logsFrom?: number | null;
  to?: number;
}

/** A store holding the planted fleet's inventory and, per source, hourly rollups over [from, to). */
async function seedStore({
  metricsFrom = WINDOW.start,
  logsFrom = WINDOW.start,
  to = WINDOW.end,
}: Seed = {}) {
  const db = openDatabase(":memory:");
  const telemetry = createTelemetryStore(db);
  const inventory = createInventoryStore(db);
  const versionConfigs = createVersionConfigStore(db);
  const configs = Object.entries(PLANTED).map(([name, p]) => config({ name, ...p.config }));
  await inventory.putConfigs(SCOPE, configs, NOW);
  await inventory.putAccount(SCOPE, account(), NOW);
  for (const c of configs)
    await inventory.putDetails(SCOPE, c.name, PLANTED[c.name]?.details ?? details(), "rev", NOW);
  // Version 7 is known (and on a deprecated runtime); version 8 is not: the only Lambda call of a run.
  await versionConfigs.put(
    [config({ name: "payments-api", version: "7", arn: `${ARN("payments-api")}:7`, runtime: "nodejs16.x" })],
    NOW,
  );

  const res: Resolution = 3600;
  const metrics: MetricRollup[] = [];
  const logs: LogRollup[] = [];
  for (const [name, p] of Object.entries(PLANTED)) {
    const group = `/aws/lambda/${name}`;
    for (let t = metricsFrom ?? to; t < to; t += H)
      metrics.push({ ...emptyMetric(SCOPE, name, res, t), ...p.metric(t) });
    for (let t = logsFrom ?? to; t < to; t += H)
      logs.push({ ...emptyLog(SCOPE, group, res, t), memorySizeMb: 1024, ...p.log(t) });
  }
  for (let t = metricsFrom ?? to; t < to; t += H)
    metrics.push({ ...emptyMetric(SCOPE, REGION_ROW, res, t), concurrencyMax: 40, unreservedMax: 35 });
  await telemetry.putMetrics(withRegionMetrics(metrics));
  await telemetry.putLogs(withRegionLogs(logs));
  if (metricsFrom !== null) await telemetry.setCoverage(SCOPE, "metrics", res, metricsFrom, to, NOW);
  if (logsFrom !== null) await telemetry.setCoverage(SCOPE, "logs", res, logsFrom, to, NOW);
  return { telemetry, inventory, versionConfigs };
}

/**
 * Ports whose every AWS call fails the test, except the one Lambda call the version inventory may make and the
 * trigger reads (one mappings listing, the Enabled queue's attributes, the dropping function's async config).
 */
function deps(
  s: Awaited<ReturnType<typeof seedStore>>,
  calls: string[],
  over: Partial<AdvisorDeps> = {},
): AdvisorDeps {
  const refuse = <T>(name: string) =>
    new Proxy(
      {},
      {
        get: (_t, prop) => () => {
          calls.push(`${name}.${String(prop)}`);
          return Promise.reject(new Error(`AWS called: ${name}.${String(prop)}`));
        },
      },
    ) as T;
  const lambda = {
    region: REGION,
    getFunctionConfiguration: (name: string, version?: string) => {
      calls.push(`lambda.GetFunctionConfiguration ${name}:${version}`);
      return Promise.resolve(
        config({ name, version, arn: `${ARN(name)}:${version}`, runtime: "nodejs22.x" }),
      );
    },
    listFunctionsPage: () => Promise.reject(new Error("not expected")),
  } as unknown as LambdaPort;
  const triggers: NonNullable<RegionPorts["triggers"]> = {
    listAllEventSourceMappings: () => {
      calls.push("lambda.ListEventSourceMappings");
      return Promise.resolve(LISTING);
    },
    getFunctionEventInvokeConfig: (name: string) => {
      calls.push(`lambda.GetFunctionEventInvokeConfig ${name}`);
      return Promise.resolve({
        maxRetries: 0,
        maxEventAgeSeconds: seconds(3600),
        onSuccess: null,
        onFailure: null,
      });
    },
  };
  const sqs: NonNullable<RegionPorts["sqs"]> = {
    queueAttributes: (arn: string) => {
      calls.push(`sqs.GetQueueAttributes ${arn}`);
      return Promise.resolve({
        queueArn: arn,
        visibilityTimeout: seconds(30),
        messageRetention: seconds(345_600),
        redrive: null,
      });
    },
  };
  return {
    source: "store",
    store: () => s,
    ports: () => ({
      lambda,
      cloudwatch: refuse<CloudWatchPort>("cloudwatch"),
      logs: refuse<LogsPort>("logs"),
      metricList: refuse<MetricListPort>("metricList"),
      triggers,
      sqs,
    }),
    thresholds: () => DEFAULT_THRESHOLDS,
    cache: null,
    collect: { versionConfigs: s.versionConfigs },
    now: () => NOW,
    ...over,
  };
}

const of = (advice: FleetAdvice, name: string, rule?: Flag["ruleId"]) =>
  advice.flags.filter((f) => f.functionName === name && (rule === undefined || f.ruleId === rule));

describe("the Advisor on a store that covers the whole window", async () => {
  const calls: string[] = [];
  const advice = await getFleetAdvice(ADVISED, WINDOW, deps(await seedStore(), calls));

  it("flags each planted problem with its rule and severity", () => {
    const expected: [string, Flag["ruleId"], Flag["severity"], string?][] = [
      ["image-resizer", "memory-over-provisioned", "warning"],
      ["report-generator", "timeout-near", "warning"],
      ["legacy-sync", "timeouts", "critical"],
      ["notify-sms", "cold-starts", "warning"],
      ["checkout-api", "provisioned-idle", "warning", "live"],
      ["webhook-ingest", "throttles", "critical"],
      ["payments-api", "errors", "critical"],
      ["payments-api", "deprecated-runtime", "critical", "7"],
      ["clickstream-consumer", "stream-falling-behind", "warning"],
      ["email-sender", "sqs-visibility-timeout", "warning"],
      ["thumbnail-async", "async-delivery", "warning"],
      ["legacy-sync", "event-source-mapping-state", "info"],
    ];
    for (const [name, rule, severity, qualifier] of expected) {
      const found = of(advice, name, rule).filter(
        (f) => qualifier === undefined || f.qualifier === qualifier,
      );
      expect(
        found.map((f) => f.severity),
        `${name} ${rule}`,
      ).toContain(severity);
    }
    expect(advice.flags.filter((f) => f.functionName === "orders-api")).toEqual([]);
    // Near its reserved concurrency too: folded into the throttles flag, one recommendation for both.
    expect(of(advice, "webhook-ingest", "throttles")[0]?.merged).toEqual(["concurrency-near-limit"]);
    expect(advice.regions[0]).toMatchObject({ ok: true, advised: true, unjudged: [] });
    // Nothing beyond the planted problems, and the one thing it could not judge (data-coverage).
    const all = advice.flags.map((f) => `${f.functionName} ${f.ruleId}`);
    expect(new Set(all)).toEqual(
      new Set([
        ...expected.map(([name, rule]) => `${name} ${rule}`),
        "legacy-sync errors",
        "payments-api data-coverage",
        // x86_64 with 50 provisioned environments: the projected cost prices provisioned concurrency, whose
        // arm64 rate is lower too, so the move saves more than the threshold.
        "checkout-api arm64-move",
      ]),
    );
  });

  it("judges the whole window, with the anchors' confidence, and says nothing about coverage", () => {
    expect(advice.source).toBe("store");
    const r = advice.regions[0]!;
    expect(r).toMatchObject({ region: REGION, ok: true, functions: 11 });
    expect(r.evidence?.judged).toEqual(WINDOW);
    expect(r.evidence?.shortfall).toBeNull();
    expect(judgedLine(WINDOW, r.evidence!)).toBeNull();
    const [mem] = of(advice, "image-resizer", "memory-over-provisioned");
    expect(mem?.evidence.window).toEqual(WINDOW);
    expect(mem?.confidence.level).toBe("high");
    expect(mem?.evidence.numbers.maxMemoryUsed?.value).toBe(385);
    expect(mem?.evidence.numbers.recommendedMemory?.value).toBe(Math.ceil((385 * 1.25) / 64) * 64);
    expect(mem?.evidence.invocationsSeen).toBe(1200 * 168);
  });

  it("reads percentiles from the histograms (within their stated error) and the longest init for p99 init", () => {
    const [near] = of(advice, "report-generator", "timeout-near");
    expect(Math.abs((near?.evidence.numbers.p99Duration?.value ?? 0) / 28_500 - 1)).toBeLessThan(
      RELATIVE_ERROR,
    );
    const [cold] = of(advice, "notify-sms", "cold-starts");
    expect(cold?.evidence.numbers.coldStartRate?.value).toBeCloseTo(0.1);
    expect(cold?.evidence.numbers.avgInitDuration?.value).toBe(2_200);
    expect(cold?.evidence.numbers.maxInitDuration?.value).toBe(2_600);
    expect(cold?.evidence.numbers.p99InitDuration).toBeUndefined();
  });

  it("finds the bad day of timeouts from the daily split", () => {
    const [t] = of(advice, "legacy-sync", "timeouts");
    expect(t?.evidence.numbers.timeoutRate?.value).toBeCloseTo(72 / (600 * 7.5));
    expect(t?.evidence.numbers.worstDayTimeoutRate?.value).toBeCloseTo(0.12);
  });

  it("says what it could not judge instead of reading zero: the canary's versions", () => {
    const [coverage] = of(advice, "payments-api", "data-coverage");
    expect(coverage?.confidence.why).toMatch(/per-version.*live.*could not be judged/);
    expect(of(advice, "payments-api", "errors").filter((f) => f.qualifier !== undefined)).toEqual([]);
  });

  it("costs AWS only the unknown published version and the few trigger reads, and counts them", () => {
    expect([...calls].sort()).toEqual([
      "lambda.GetFunctionConfiguration payments-api:8",
      "lambda.GetFunctionEventInvokeConfig thumbnail-async",
      "lambda.ListEventSourceMappings",
      `sqs.GetQueueAttributes ${QUEUE("email-outbound")}`,
    ]);
    // GetQueueAttributes follows a GetQueueUrl: two requests per queue.
    expect(advice.regions[0]?.evidence?.awsRequests).toBe(5);
    expect(JSON.parse(toJson(advice))).toMatchObject({ source: "store", awsRequests: 5 });
    expect(toTable(advice)).toMatch(/collector's store; 5 AWS requests/);
  });

  it("judges the stream's trend from the stored rows, with its mapping's settings", () => {
    const [f] = of(advice, "clickstream-consumer", "stream-falling-behind");
    expect(f?.merged).toEqual(["iterator-age"]);
    const n = f!.evidence.numbers;
    expect(n.iteratorAgeGrowth?.value).toBeCloseTo(48 * 60_000, -3);
    expect(n.iteratorAgeLast?.value).toBe(6 * 48 * 60_000);
    expect(n.batchSize?.value).toBe(100);
    expect(n.parallelizationFactor?.value).toBe(1);
    expect(of(advice, "email-sender", "sqs-visibility-timeout")[0]?.evidence.numbers).toMatchObject({
      visibilityTimeout: { value: 30 },
      functionTimeout: { value: 60 },
      recommendedVisibilityTimeout: { value: 360 },
    });
    expect(of(advice, "thumbnail-async", "async-delivery")[0]?.title).toMatch(
      /dropped with no on-failure destination or dead-letter queue/,
    );
  });

  it("lists the trigger rules as not judged when the mappings cannot be listed", async () => {
    const seeded = await seedStore();
    const failing = await getFleetAdvice(
      ADVISED,
      WINDOW,
      deps(seeded, [], {
        ports: (r, a) => ({
          ...deps(seeded, []).ports(r, a),
          triggers: {
            listAllEventSourceMappings: () => Promise.reject(new Error("Rate exceeded")),
            getFunctionEventInvokeConfig: () => Promise.reject(new Error("Rate exceeded")),
          },
        }),
      }),
    );
    const region = failing.regions[0]!;
    expect(region.ok).toBe(false);
    expect(region.message).toMatch(/ListEventSourceMappings: Rate exceeded/);
    expect(failing.flags.filter((f) => f.ruleId === "event-source-mapping-state")).toEqual([]);
    expect(region.unjudged).toContainEqual(
      expect.objectContaining({
        functionName: "email-sender",
        ruleId: "sqs-visibility-timeout",
        source: "triggers",
      }),
    );
    // The trend is the metric's: still judged, partly, without the mapping's settings.
    const [lag] = failing.flags.filter((f) => f.ruleId === "stream-falling-behind");
    expect(lag?.confidence.level).toBe("medium");
    expect(lag?.evidence.numbers.batchSize).toBeUndefined();
  });
});

describe("the Advisor on a store still backfilling", async () => {
  const from = WINDOW.end - 26 * H;
  const store = await seedStore({ metricsFrom: from, logsFrom: from });
  const advice = await getFleetAdvice(ADVISED, WINDOW, deps(store, []));
  const evidence = advice.regions[0]?.evidence;

  it("judges the covered part only, and says so on the page and in the CLI", () => {
    expect(evidence?.judged).toEqual({ start: from, end: WINDOW.end });
    const line = "judged on 26 h of the 7 d asked: the collector is still backfilling";
    expect(judgedLine(WINDOW, evidence!)).toBe(line);
    expect(toTable(advice)).toContain(line);
    expect(JSON.parse(toJson(advice)).regions[0].judgedOn).toBe(line);
  });

  it("lowers the confidence of flags that want a longer window, and projects money from the judged part", () => {
    const [mem] = of(advice, "image-resizer", "memory-over-provisioned");
    expect(mem?.evidence.window).toEqual({ start: from, end: WINDOW.end });
    expect(mem?.evidence.invocationsSeen).toBe(1200 * 26);
    expect(mem?.confidence).toMatchObject({ level: "medium", why: expect.stringMatching(/1\.1 days/) });
  });

  it("tells a backfill that stopped at the collector's horizon from one still running", async () => {
    const capped = await getFleetAdvice(
      ADVISED,
      WINDOW,
      deps(store, [], { collect: { versionConfigs: store.versionConfigs, horizonMs: 26 * H } }),
    );
    expect(capped.regions[0]?.evidence?.shortfall).toBe(
      "the collector backfills only 26 h (FLEETSCOPE_COLLECTOR_BACKFILL_HOURS)",
    );
  });
});

describe("the Advisor without REPORT lines in the store", async () => {
  const advice = await getFleetAdvice(ADVISED, WINDOW, deps(await seedStore({ logsFrom: null }), []));

  it("judges what metrics show and reports log-derived rules as not judged, never as zero", () => {
    expect(advice.regions[0]?.evidence).toMatchObject({ judged: WINDOW, logsJudged: false });
    expect(judgedLine(WINDOW, advice.regions[0]!.evidence!)).toMatch(/no REPORT lines collected/);
    expect(of(advice, "payments-api", "errors").map((f) => f.severity)).toEqual(["critical"]);
    expect(of(advice, "webhook-ingest", "throttles").map((f) => f.severity)).toEqual(["critical"]);
    const logRules = ["memory-over-provisioned", "cold-starts", "timeout-near", "timeouts"] as const;
    for (const rule of logRules) expect(advice.flags.filter((f) => f.ruleId === rule)).toEqual([]);
    // Each log-derived rule is listed as not judged, for every function, the healthy one too: missing
    // evidence is said, not read as "healthy".
    const region = advice.regions[0]!;
    expect(region.ok).toBe(false);
    expect(exitCode(advice, null)).toBe(3);
    for (const fn of ["image-resizer", "orders-api"])
      for (const rule of logRules)
        expect(region.unjudged).toContainEqual({
          account: SCOPE.account,
          region: REGION,
          functionName: fn,
          ruleId: rule,
          source: "logs",
          reason: "the collector has no REPORT lines for the judged window yet",
          partly: false,
        });
    expect(region.unjudged.some((u) => u.ruleId === "errors" || u.ruleId === "throttles")).toBe(false);
  });
});

describe("the Advisor before the collector has data", () => {
  it("judges configuration only when nothing is collected in the window, and the CLI does not pass", async () => {
    const advice = await getFleetAdvice(
      ADVISED,
      WINDOW,
      deps(await seedStore({ metricsFrom: null, logsFrom: null }), []),
    );
    expect(advice.regions[0]?.evidence?.judged).toBeNull();
    const telemetryRules = advice.flags.filter(
      // Configuration alone shows these (the queue's visibility, the disabled mapping).
      (f) =>
        ![
          "deprecated-runtime",
          "data-coverage",
          "sqs-visibility-timeout",
          "event-source-mapping-state",
        ].includes(f.ruleId),
    );
    expect(telemetryRules.map((f) => f.ruleId)).toEqual([]);
    expect(advice.flags.map((f) => f.ruleId)).toContain("deprecated-runtime");
    const unjudged = advice.regions[0]!.unjudged;
    expect(unjudged.filter((u) => u.functionName === "payments-api").map((u) => u.ruleId)).toEqual(
      expect.arrayContaining(["errors", "throttles", "memory-over-provisioned", "timeouts"]),
    );
    expect(unjudged.every((u) => /no telemetry collected in this window/.test(u.reason))).toBe(true);
    expect(judgedLine(WINDOW, advice.regions[0]!.evidence!)).toMatch(/configuration only/);
    expect(exitCode(advice, null)).toBe(3);
  });

  it("fails a region the collector has never listed", async () => {
    const advice = await getFleetAdvice(
      [{ target: TARGET, region: "eu-west-1" }],
      WINDOW,
      deps(await seedStore(), []),
    );
    expect(advice.regions[0]).toMatchObject({ account: SCOPE.account, region: "eu-west-1", ok: false });
    expect(advice.regions[0]?.message).toMatch(/has not listed eu-west-1 of account 000000000000/);
  });

  it("fails only the account the collector has never listed, and stamps every flag with its account", async () => {
    const other: AccountTarget = { ...TARGET, id: parseAccountId("222222222222"), source: "role" };
    const advice = await getFleetAdvice(
      [...ADVISED, { target: other, region: REGION }],
      WINDOW,
      deps(await seedStore(), []),
    );
    expect(advice.regions.map((r) => [r.account, r.advised])).toEqual([
      [SCOPE.account, true],
      [other.id, false],
    ]);
    expect(advice.flags.length).toBeGreaterThan(0);
    expect(advice.flags.every((f) => f.account === SCOPE.account)).toBe(true);
  });
});

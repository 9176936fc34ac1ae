/** Issue 13's trigger rules: each fires, stays quiet, and is not judged when its evidence was not read. */
import { describe, expect, it } from "vitest";
import {
  advise,
  DEFAULT_THRESHOLDS,
  notJudgedFor,
  type Flag,
  type IteratorAgePoint,
  type TriggerSources,
} from "@/lib/core/advisor";
import { evidenceRows } from "@/lib/core/advisor/evidence-text";
import { judgeMapping } from "@/lib/core/triggers/source-health";
import { judgeLag, LAG_DEFAULTS } from "@/lib/core/triggers/lag";
import type { EventSourceMapping } from "@/lib/core/triggers/types";
import { epochMs, ms, seconds } from "@/lib/core/units";
import { NOW, input } from "./advisor-fixtures";
import { streamMapping } from "@/test/support/event-source-mappings";

type Over = NonNullable<Parameters<typeof input>[0]>;
const HOUR = 3_600_000;
const MIN = 60_000;
const run = (over: Over) => advise(input(over), { now: NOW });
const rule = (flags: Flag[], id: Flag["ruleId"]) => flags.filter((f) => f.ruleId === id);

const STREAM = "arn:aws:kinesis:us-east-1:000000000000:stream/clickstream";
const QUEUE = "arn:aws:sqs:us-east-1:000000000000:email-outbound";

const mapping = (over: Partial<EventSourceMapping> = {}): EventSourceMapping =>
  streamMapping({ uuid: "11111111-2222-3333-4444-555555555555", sourceArn: STREAM, ...over });

const queueMapping = (over: Partial<EventSourceMapping> = {}) =>
  mapping({
    sourceArn: QUEUE,
    kind: "sqs",
    batchSize: 10,
    startingPosition: null,
    bisectOnError: null,
    maxRetries: null,
    maxRecordAgeSeconds: null,
    parallelizationFactor: null,
    ...over,
  });

const sources = (over: Partial<TriggerSources> = {}): TriggerSources => ({
  mappings: [],
  async: null,
  queues: {},
  ...over,
});

/** 24 hourly maxima: flat at `base` ms, then rising `perHour` ms an hour over the last `hours`. */
function hourly(hours: number, perHour: number, base = 800, jitter = 0): IteratorAgePoint[] {
  return Array.from({ length: 24 }, (_, i) => {
    const since = i - (24 - hours);
    const wobble = jitter === 0 ? 0 : ((i * 7919) % 13) * jitter;
    return { t: epochMs(NOW - (24 - i) * HOUR), maxMs: ms(base + wobble + Math.max(0, since) * perHour) };
  });
}

describe("stream-falling-behind", () => {
  const behind: Over = {
    config: { timeout: seconds(60) },
    observed: { iteratorAgeHourly: hourly(6, 48 * MIN), iteratorAgeMaxMs: ms(5 * 48 * MIN + 800) },
    sources: sources({ mappings: [mapping()] }),
  };

  it("fires on an age rising 48 min/h for hours, with the mapping's settings and the duration", () => {
    const [f] = rule(run(behind), "stream-falling-behind");
    expect(f?.severity).toBe("warning");
    const n = f!.evidence.numbers;
    expect(n.iteratorAgeGrowth?.unit).toBe("ms/h");
    expect(n.iteratorAgeGrowth?.value).toBeCloseTo(48 * MIN, -3);
    expect(n.growingFor?.value).toBeGreaterThanOrEqual(4);
    expect(n.batchSize?.value).toBe(100);
    expect(n.parallelizationFactor?.value).toBe(1);
    expect(n.avgDuration?.value).toBe(150);
    expect(n.p99Duration?.value).toBe(400);
    expect(n.iteratorAgeLast?.value).toBe(5 * 48 * MIN + 800);
    // (24 h − 4 h) at 48 min/h ≈ 25 h.
    expect(n.hoursToRetention?.value).toBeGreaterThan(20);
    // Reading 0.2 of what arrives needs 5× the throughput, +25 % to drain: 1 → 7.
    expect(f?.recommendation.action).toEqual({
      kind: "set-parallelization-factor",
      mappingUuid: mapping().uuid,
      factor: 7,
    });
    expect(f?.title).toMatch(/clickstream/);
    expect(f?.confidence.level).toBe("high");
  });

  it("reads its evidence per hour and in hours", () => {
    const [f] = rule(run(behind), "stream-falling-behind");
    const rows = new Map(evidenceRows(f!).map((r) => [r.key, r.text]));
    expect(rows.get("iteratorAgeGrowth")).toBe("+48m 0s/hour");
    expect(rows.get("assumedRetention")).toBe("24 h");
  });

  it("folds the high-maximum iterator-age flag into its own recommendation", () => {
    const over: Over = { ...behind, observed: { ...behind.observed, iteratorAgeMaxMs: ms(3 * HOUR) } };
    const flags = run(over);
    expect(rule(flags, "iterator-age")).toEqual([]);
    const [f] = rule(flags, "stream-falling-behind");
    expect(f?.merged).toEqual(["iterator-age"]);
    expect(f?.evidence.numbers.iteratorAgeMax?.value).toBe(3 * HOUR);
    expect(f?.recommendation.action.kind).toBe("set-parallelization-factor");
  });

  it("is critical when records reach the retention within 12 h", () => {
    const over: Over = { ...behind, observed: { iteratorAgeHourly: hourly(20, 50 * MIN) } };
    expect(rule(run(over), "stream-falling-behind").map((f) => f.severity)).toEqual(["critical"]);
  });

  it("raises the batch size once the parallelization factor is at 10", () => {
    const over: Over = {
      ...behind,
      sources: sources({ mappings: [mapping({ parallelizationFactor: 10 })] }),
    };
    expect(rule(run(over), "stream-falling-behind")[0]?.recommendation.action).toEqual({
      kind: "set-batch-size",
      mappingUuid: mapping().uuid,
      batchSize: 625,
    });
  });

  it("does not fire on a high but steady lag, a one-off spike, a slow growth or a short run", () => {
    const steady = hourly(0, 0, 3 * HOUR, 60_000);
    const spike = hourly(0, 0).map((p, i) => (i === 23 ? { ...p, maxMs: ms(5 * HOUR) } : p));
    const slow = hourly(12, 5 * MIN);
    const short = hourly(3, 48 * MIN);
    for (const series of [steady, spike, slow, short])
      expect(
        rule(run({ ...behind, observed: { iteratorAgeHourly: series } }), "stream-falling-behind"),
      ).toEqual([]);
  });

  it("judges the best-fitting trailing run, not the whole range", () => {
    const { run: run6 } = judgeLag(hourly(6, 48 * MIN, 800, 20), {
      minHours: 4,
      minGrowthMsPerHour: 10 * MIN,
    });
    expect((run6!.to.t - run6!.from.t) / HOUR).toBeGreaterThanOrEqual(5);
    expect((run6!.to.t - run6!.from.t) / HOUR).toBeLessThanOrEqual(7);
    expect(run6!.slopeMsPerHour / MIN).toBeGreaterThan(40);
  });

  it("agrees with /sources on the same series: falling behind in both, or in neither", () => {
    const asBuckets = (series: IteratorAgePoint[]) =>
      series.map((p) => ({ t: p.t, iteratorAgeMaxMs: p.maxMs, asyncDropped: 0 }));
    const cases = [
      hourly(6, 48 * MIN),
      hourly(20, 50 * MIN),
      hourly(12, 12 * MIN, 800, 30_000),
      hourly(12, 5 * MIN),
      hourly(0, 0, 3 * HOUR, 60_000),
      hourly(3, 48 * MIN),
    ];
    const verdicts = cases.map((series) => {
      const advisor = rule(
        run({ ...behind, observed: { iteratorAgeHourly: series } }),
        "stream-falling-behind",
      );
      const sources = judgeMapping(mapping(), asBuckets(series));
      expect([advisor.length === 1, sources.health === "falling behind"]).toEqual([
        sources.health === "falling behind",
        advisor.length === 1,
      ]);
      return sources.health;
    });
    // Both outcomes occur, so the agreement is not vacuous.
    expect(new Set(verdicts)).toEqual(new Set(["falling behind", "ok"]));
    expect(DEFAULT_THRESHOLDS.streamLag).toMatchObject(LAG_DEFAULTS);
  });

  it("still judges the trend without the mapping, at medium confidence, partly judged", () => {
    const over: Over = {
      ...behind,
      sources: undefined,
      missing: { triggers: "ListEventSourceMappings: Throttled" },
    };
    const [f] = rule(run(over), "stream-falling-behind");
    expect(f?.confidence.level).toBe("medium");
    expect(f?.evidence.numbers.batchSize).toBeUndefined();
    expect(notJudgedFor(input(over)).find((u) => u.ruleId === "stream-falling-behind")).toMatchObject({
      source: "triggers",
      partly: true,
    });
  });

  it("is not judged without metrics", () => {
    const over: Over = { ...behind, missing: { metrics: "GetMetricData: Throttled" } };
    expect(rule(run(over), "stream-falling-behind")).toEqual([]);
    expect(notJudgedFor(input(over)).map((u) => u.ruleId)).toContain("stream-falling-behind");
  });
});

describe("async-delivery", () => {
  const noDestination = { config: null, deadLetterTarget: null };
  it("warns on dropped events with no destination and no DLQ", () => {
    const [f] = rule(
      run({ observed: { asyncEventsDropped: 412 }, sources: sources({ async: noDestination }) }),
      "async-delivery",
    );
    expect(f?.severity).toBe("warning");
    expect(f?.title).toMatch(/412 async events dropped with no on-failure destination or dead-letter queue/);
    expect(f?.recommendation.action).toEqual({ kind: "add-failure-destination" });
    expect(f?.evidence.numbers.maxRetryAttempts?.value).toBe(2);
    expect(f?.confidence.level).toBe("high");
    expect(f?.monthlyImpact.kind).toBe("none");
  });
  it("is info at most when a destination or a DLQ kept them", () => {
    const dlq = { config: null, deadLetterTarget: "arn:aws:sqs:us-east-1:000000000000:dlq" };
    const onFailure = {
      config: { maxRetries: 2, maxEventAgeSeconds: seconds(3600), onSuccess: null, onFailure: "arn:dest" },
      deadLetterTarget: null,
    };
    for (const async of [dlq, onFailure])
      expect(
        rule(run({ observed: { asyncEventsDropped: 5 }, sources: sources({ async }) }), "async-delivery").map(
          (f) => f.severity,
        ),
      ).toEqual(["info"]);
  });
  it("warns on delivery failures even with a destination", () => {
    const async = { config: null, deadLetterTarget: "arn:aws:sqs:us-east-1:000000000000:dlq" };
    const [f] = rule(
      run({ observed: { asyncEventsDropped: 0, deadLetterErrors: 3 }, sources: sources({ async }) }),
      "async-delivery",
    );
    expect(f?.severity).toBe("warning");
    expect(f?.evidence.numbers.deadLetterErrors?.value).toBe(3);
    expect(f?.title).toMatch(/3 dead-letter deliveries failed/);
  });
  it("keeps a known dead-letter queue when the event invoke config could not be read", () => {
    const dlq = "arn:aws:sqs:us-east-1:000000000000:dlq";
    const over: Over = {
      observed: { asyncEventsDropped: 7 },
      sources: sources({ async: { deadLetterTarget: dlq } }),
      missing: { async: "GetFunctionEventInvokeConfig: Throttled" },
    };
    const [f] = rule(run(over), "async-delivery");
    expect(f?.severity).toBe("info");
    expect(f?.title).toMatch(/kept by the dead-letter queue/);
    expect(f?.recommendation.text).not.toMatch(/make sure there is/);
    expect(f?.evidence.numbers.maxRetryAttempts).toBeUndefined();
    expect(f?.confidence.level).toBe("medium");
    const none: Over = { ...over, sources: sources({ async: { deadLetterTarget: null } }) };
    const [g] = rule(run(none), "async-delivery");
    expect(g?.severity).toBe("warning");
    expect(g?.recommendation.text).toMatch(/could not be checked: make sure there is/);
  });
  it("does not fire with nothing dropped or failed, and never shows an unread count as 0", () => {
    expect(rule(run({ sources: sources({ async: noDestination }) }), "async-delivery")).toEqual([]);
    const [f] = rule(run({ observed: { asyncEventsDropped: 1 } }), "async-delivery");
    expect(f?.evidence.numbers.destinationDeliveryFailures).toBeUndefined();
    expect(f?.evidence.numbers.deadLetterErrors).toBeUndefined();
  });
  it("warns when the config was not read, partly judged and not high", () => {
    const over: Over = {
      observed: { asyncEventsDropped: 9 },
      missing: { async: "GetFunctionEventInvokeConfig: Throttled" },
    };
    const [f] = rule(run(over), "async-delivery");
    expect(f?.severity).toBe("warning");
    expect(f?.confidence.level).toBe("medium");
    expect(notJudgedFor(input(over)).find((u) => u.ruleId === "async-delivery")?.partly).toBe(true);
  });
});

describe("sqs-visibility-timeout", () => {
  const email = (visibility: number, window = 0, over: Partial<EventSourceMapping> = {}): Over => ({
    config: { name: "email-sender", timeout: seconds(60) },
    sources: sources({
      mappings: [queueMapping({ batchingWindowSeconds: seconds(window), ...over })],
      queues: { [QUEUE]: { visibilityTimeout: seconds(visibility) } },
    }),
  });
  it("flags 30 s of visibility against a 60 s timeout, with the recommended minimum", () => {
    const [f] = rule(run(email(30)), "sqs-visibility-timeout");
    expect(f?.severity).toBe("warning");
    expect(f?.evidence.numbers.visibilityTimeout?.value).toBe(30);
    expect(f?.evidence.numbers.functionTimeout?.value).toBe(60);
    expect(f?.evidence.numbers.recommendedVisibilityTimeout?.value).toBe(360);
    expect(f?.recommendation.action).toEqual({
      kind: "set-visibility-timeout",
      queueArn: QUEUE,
      timeout: 360,
    });
    expect(f?.title).toMatch(/email-outbound/);
  });
  it("adds the batching window to the minimum", () => {
    expect(rule(run(email(360)), "sqs-visibility-timeout")).toEqual([]);
    const [f] = rule(run(email(360, 20)), "sqs-visibility-timeout");
    expect(f?.evidence.numbers.recommendedVisibilityTimeout?.value).toBe(380);
  });
  it("skips a disabled mapping and a queue that was not read", () => {
    expect(rule(run(email(30, 0, { state: "Disabled" })), "sqs-visibility-timeout")).toEqual([]);
    const unread: Over = { ...email(30), sources: { ...email(30).sources!, queues: { [QUEUE]: null } } };
    expect(rule(run(unread), "sqs-visibility-timeout")).toEqual([]);
  });
  it("is not judged when the queues could not be read", () => {
    const over: Over = { ...email(30), missing: { queues: "GetQueueAttributes: AccessDenied" } };
    expect(rule(run(over), "sqs-visibility-timeout")).toEqual([]);
    expect(notJudgedFor(input(over)).find((u) => u.ruleId === "sqs-visibility-timeout")).toMatchObject({
      source: "queues",
      partly: false,
    });
  });
});

describe("sqs-batch-timeout", () => {
  /** email-sender reading its queue in batches of `batch`, 60 s timeout, visibility 360 s (AWS's minimum). */
  const batches = (
    batch: number,
    duration: { max?: number | null; p999?: number | null },
    over: Partial<EventSourceMapping> = {},
    timeouts: number | null = 0,
  ): Over => ({
    config: { name: "email-sender", timeout: seconds(60) },
    observed: {
      duration: {
        p50: ms(2_000),
        p99: ms(20_000),
        p999: duration.p999 === undefined ? ms(30_000) : duration.p999 === null ? null : ms(duration.p999),
        max: duration.max === undefined ? ms(40_000) : duration.max === null ? null : ms(duration.max),
        avg: ms(3_000),
      },
      timeouts,
    },
    sources: sources({
      mappings: [queueMapping({ batchSize: batch, ...over })],
      queues: { [QUEUE]: { visibilityTimeout: seconds(360) } },
    }),
  });

  it("warns when the longest run reaches 90 % of the timeout, with a smaller batch or a longer timeout", () => {
    const [f] = rule(run(batches(10, { max: 57_000 })), "sqs-batch-timeout");
    expect(f?.severity).toBe("warning");
    expect(f?.title).toBe(
      "Queue email-outbound: a batch of 10 can outrun the 60 s timeout (the longest run took 95% of it)",
    );
    expect(f?.evidence.numbers).toMatchObject({
      batchSize: { value: 10, unit: "count" },
      functionTimeout: { value: 60, unit: "s" },
      maxDuration: { value: 57_000, unit: "ms" },
      recommendedBatchSize: { value: 5, unit: "count" },
      recommendedTimeout: { value: 114, unit: "s" },
    });
    // Half the timeout for 10 messages that took 57 s: 5 messages.
    expect(f?.recommendation.action).toEqual({
      kind: "set-batch-size",
      mappingUuid: queueMapping().uuid,
      batchSize: 5,
    });
    expect(f?.recommendation.text).toMatch(/retried whole/);
    expect(f?.recommendation.text).toMatch(/raise the timeout to 114 s/);
  });

  it("says a partial batch response does not save a timed-out batch", () => {
    const [f] = rule(
      run(batches(10, { max: 57_000 }, { reportBatchItemFailures: true })),
      "sqs-batch-timeout",
    );
    expect(f?.recommendation.text).toMatch(/ReportBatchItemFailures does not help here/);
  });

  it("warns on timeouts counted in the window even below 90 %, and judges from p99.9 without a maximum", () => {
    const [t] = rule(run(batches(10, { max: 20_000 }, {}, 3)), "sqs-batch-timeout");
    expect(t?.title).toMatch(/\(3 invocations timed out\)$/);
    expect(t?.evidence.numbers.timeouts?.value).toBe(3);
    const [p] = rule(run(batches(10, { max: null, p999: 55_000 })), "sqs-batch-timeout");
    expect(p?.evidence.numbers.p999Duration?.value).toBe(55_000);
    expect(p?.evidence.numbers.maxDuration).toBeUndefined();
  });

  it("stays quiet for fast batches, a batch of one, a disabled mapping, and when no duration was read", () => {
    for (const over of [
      batches(10, { max: 40_000 }),
      batches(1, { max: 59_000 }),
      batches(10, { max: 59_000 }, { state: "Disabled" }),
      batches(10, { max: null, p999: null }, {}, null),
    ])
      expect(rule(run(over), "sqs-batch-timeout")).toEqual([]);
  });

  it("is not judged without the metrics, and is one flag with the visibility timeout's when both fire", () => {
    const over: Over = { ...batches(10, { max: 57_000 }), missing: { metrics: "GetMetricData: Throttled" } };
    expect(rule(run(over), "sqs-batch-timeout")).toEqual([]);
    expect(notJudgedFor(input(over)).find((u) => u.ruleId === "sqs-batch-timeout")).toMatchObject({
      source: "metrics",
      partly: false,
    });
    const both: Over = {
      ...batches(10, { max: 57_000 }),
      sources: sources({
        mappings: [queueMapping({ batchSize: 10 })],
        queues: { [QUEUE]: { visibilityTimeout: seconds(30) } },
      }),
    };
    const flags = run(both);
    expect(rule(flags, "sqs-batch-timeout")).toEqual([]);
    const [f] = rule(flags, "sqs-visibility-timeout");
    expect(f?.merged).toEqual(["sqs-batch-timeout"]);
    // Both settings are advised: the visibility timeout and the batch size.
    expect(f?.recommendation.text).toMatch(/VisibilityTimeout to at least 360 s/);
    expect(f?.recommendation.text).toMatch(/BatchSize from 10 to 5/);
    expect(f?.evidence.numbers.recommendedBatchSize?.value).toBe(5);
  });
});

describe("event-source-mapping-state", () => {
  const states = (...mappings: EventSourceMapping[]) =>
    rule(run({ sources: sources({ mappings }) }), "event-source-mapping-state");
  it("is info for a mapping a user disabled", () => {
    const [f] = states(queueMapping({ state: "Disabled" }));
    expect(f?.severity).toBe("info");
    expect(f?.evidence.numbers.disabledMappings?.value).toBe(1);
  });
  it("reads a user's change in every spelling AWS uses: USER_INITIATED (queues), User action (streams)", () => {
    for (const stateReason of ["USER_INITIATED", "User action", "User initiated", ""]) {
      const [f] = states(mapping({ state: "Disabled", stateReason }));
      expect([stateReason, f?.severity, f?.title]).toEqual([
        stateReason,
        "info",
        "The mapping from clickstream is disabled by a user",
      ]);
      expect(judgeMapping(mapping({ state: "Disabled", stateReason }), []).health).toBe("disabled");
    }
    const [byLambda] = states(mapping({ state: "Disabled", stateReason: "PROBLEM: stream deleted" }));
    expect(byLambda?.severity).toBe("warning");
  });
  it("warns when Lambda disabled it, with its (cleaned) reason", () => {
    const [f] = states(queueMapping({ state: "Disabled", stateReason: "PROBLEM: queue\u0007 deleted\n" }));
    expect(f?.severity).toBe("warning");
    expect(f?.title).toBe("Lambda disabled the mapping from email-outbound: PROBLEM: queue deleted");
  });
  it("warns on a PROBLEM, critical when something is missing or not permitted", () => {
    expect(states(mapping({ lastProcessingResult: "PROBLEM: Function call failed" }))[0]?.severity).toBe(
      "warning",
    );
    const [f] = states(
      mapping({ lastProcessingResult: "PROBLEM: Lambda failed to read the stream: permission denied" }),
      queueMapping({ state: "Disabled" }),
    );
    expect(f?.severity).toBe("critical");
    expect(f?.title).toMatch(/\(and 1 more\)$/);
  });
  it("says nothing about healthy mappings, and is not judged when none were read", () => {
    expect(states(mapping(), queueMapping())).toEqual([]);
    const over: Over = { missing: { triggers: "ListEventSourceMappings: Timeout" } };
    expect(notJudgedFor(input(over)).map((u) => u.ruleId)).toEqual(
      expect.arrayContaining(["event-source-mapping-state", "sqs-visibility-timeout"]),
    );
  });
});

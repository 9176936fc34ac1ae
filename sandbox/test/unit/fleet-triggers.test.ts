/** The planted trigger facts of the fleet model (sandbox/README.md, "The fleet"). */
import { describe, expect, it } from "vitest";
import { generateAccount } from "../../src/fleet/generate";
import type { QueueMapping, SandboxAccount, SimFunction, StreamMapping } from "../../src/fleet/model";

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const HOUR = 3_600_000;

const fn = (a: SandboxAccount, name: string, region = "us-east-1"): SimFunction => {
  const f = a.regions.get(region)?.functions.get(name);
  if (!f) throw new Error(`missing ${region}/${name}`);
  return f;
};
const onlyMapping = (f: SimFunction) => {
  expect(f.eventSources).toHaveLength(1);
  return f.eventSources?.[0];
};

describe("planted triggers", () => {
  const a = generateAccount({ seed: 11, nowMs: NOW, functionsPerRegion: 20 });

  it("clickstream-consumer reads Kinesis in batches of 100, one shard poller, falling behind for hours", () => {
    const m = onlyMapping(fn(a, "clickstream-consumer")) as StreamMapping;
    expect([m.kind, m.batchSize, m.parallelizationFactor, m.state]).toEqual(["kinesis", 100, 1, "Enabled"]);
    expect(m.eventSourceArn).toMatch(/^arn:aws:kinesis:us-east-1:\d{12}:stream\/clickstream$/);
    expect(m.iteratorAgeGrowth).toEqual({ sinceMs: NOW - 6 * HOUR, perHourMs: 0.8 * HOUR });
    expect(m.metricsEnabled).toBe(true);
  });

  it("email-sender's queue hides a message for less than 6 × the function timeout", () => {
    const f = fn(a, "email-sender");
    const m = onlyMapping(f) as QueueMapping;
    expect(m.kind).toBe("sqs");
    for (const v of [...f.versions, f.latest]) expect(v.timeout).toBe(60);
    expect(m.queueVisibilityTimeoutSeconds).toBe(30);
    expect(m.queueVisibilityTimeoutSeconds).toBeLessThan(6 * f.latest.timeout);
  });

  it("thumbnail-async gets S3 events and drops failures: no retries, no destination, no DLQ", () => {
    const f = fn(a, "thumbnail-async");
    expect(f.pushSources?.map((s) => s.principal)).toEqual(["s3.amazonaws.com"]);
    expect(f.asyncConfig).toMatchObject({ maximumRetryAttempts: 0, onSuccess: null, onFailure: null });
    expect(f.deadLetterTargetArn).toBeUndefined();
    expect(f.asyncDropRate).toBeGreaterThan(0);
    expect(f.recursiveLoop).toBe("Allow");
  });

  it("legacy-sync's queue mapping is disabled by a user", () => {
    const m = onlyMapping(fn(a, "legacy-sync"));
    expect([m?.kind, m?.state, m?.stateTransitionReason]).toEqual(["sqs", "Disabled", "USER_INITIATED"]);
  });

  it("spells a user's change as AWS does per source: User action on streams, USER_INITIATED on queues", () => {
    const reasons = (name: string) => onlyMapping(fn(a, name))?.stateTransitionReason;
    expect(reasons("clickstream-consumer")).toBe("User action");
    expect(reasons("audit-trail")).toBe("User action");
    expect(reasons("email-sender")).toBe("USER_INITIATED");
  });

  it("pushes: API Gateway to orders-api and payments-api, EventBridge to report-generator, SNS to notify-sms", () => {
    const principals = (name: string) => fn(a, name).pushSources?.map((s) => s.principal);
    expect(principals("orders-api")).toEqual(["apigateway.amazonaws.com", "apigateway.amazonaws.com"]);
    expect(principals("payments-api")).toEqual(["apigateway.amazonaws.com"]);
    expect(principals("report-generator")).toEqual(["events.amazonaws.com"]);
    expect(fn(a, "report-generator").pushSources?.[0]?.sourceArn).toMatch(/:rule\/nightly-reports$/);
    expect(fn(a, "report-generator").deadLetterTargetArn).toMatch(/^arn:aws:sqs:us-east-1:\d{12}:/);
    expect(principals("notify-sms")).toEqual(["sns.amazonaws.com"]);
  });

  it("user-profile has an IAM-authenticated, buffered function URL", () => {
    expect(fn(a, "user-profile").functionUrl).toMatchObject({
      authType: "AWS_IAM",
      invokeMode: "BUFFERED",
      qualifier: null,
    });
    expect(fn(a, "user-profile").functionUrl?.urlId).toMatch(/^[a-z0-9]{32}$/);
  });
});

describe("healthy triggers", () => {
  const a = generateAccount({ seed: 5, nowMs: NOW, functionsPerRegion: 200 });
  const healthy = [...a.regions.values()]
    .flatMap((r) => [...r.functions.values()])
    .filter(
      (f) => f.scenario === "healthy" && !["audit-trail", "orders-api", "user-profile"].includes(f.name),
    );

  it("mostly none; a few polling consumers read one SQS queue with sane settings", () => {
    const withMappings = healthy.filter((f) => (f.eventSources ?? []).length > 0);
    expect(withMappings.length).toBeGreaterThan(0);
    expect(withMappings.length).toBeLessThan(healthy.length * 0.35);
    for (const f of withMappings) {
      const m = onlyMapping(f) as QueueMapping;
      expect(f.name).toMatch(/-(consumer|worker|processor)(-\d+)?$/);
      expect(m.kind).toBe("sqs");
      expect(m.state).toBe("Enabled");
      expect(m.queueVisibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * f.latest.timeout);
      expect(m.reportBatchItemFailures).toBe(true);
    }
    for (const f of healthy) {
      expect(f.pushSources).toBeUndefined();
      expect(f.functionUrl).toBeUndefined();
      expect(f.asyncConfig).toBeUndefined();
    }
  });

  it("gives every mapping of a region a distinct UUID", () => {
    for (const r of a.regions.values()) {
      const uuids = [...r.functions.values()].flatMap((f) => (f.eventSources ?? []).map((m) => m.uuid));
      expect(new Set(uuids).size).toBe(uuids.length);
    }
  });
});

import { describe, expect, it } from "vitest";
import { parseFilter } from "../../src/xray/filter";
import {
  isPlantedMalformed,
  malformedKind,
  MALFORMED_ONE_IN,
  serializeSegments,
} from "../../src/xray/malformed";
import { renderTraceDocuments } from "../../src/xray/segments";
import { ServiceGraphBuilder } from "../../src/xray/service-graph";
import { candidateFunctions } from "../../src/xray/summaries";
import { storedTrace, traceSummary } from "../../src/xray/trace";
import { traceStartSeconds } from "../../src/xray/trace-id";
import { ACCOUNT, invocation, minuteOf, simFunction } from "./xray-fixtures";

const fn = simFunction("payments-api");
const traceId = (i: number) => `1-6968c2bc-${i.toString(16).padStart(24, "0")}`;

describe("malformed traces", () => {
  it("breaks about 1 in 500 traces, deterministically, with both kinds", () => {
    const kinds = Array.from({ length: 200_000 }, (_, i) => malformedKind(traceId(i), false));
    const broken = kinds.filter((k) => k !== null);
    expect(broken.length / kinds.length).toBeGreaterThan(0.6 / MALFORMED_ONE_IN);
    expect(broken.length / kinds.length).toBeLessThan(1.4 / MALFORMED_ONE_IN);
    expect(new Set(broken)).toEqual(new Set(["missing-end-time", "invalid-json"]));
    expect(malformedKind(traceId(42), false)).toBe(kinds[42]);
    expect(malformedKind(traceId(1), true)).toBe("invalid-json");
  });

  it("serializes each kind as described, leaving the service segment readable", () => {
    const docs = renderTraceDocuments(invocation({ initDurationMs: 100 }), fn, ACCOUNT);
    const intact = serializeSegments(docs, null);
    expect(intact.map((s) => JSON.parse(s.Document))).toEqual([docs.service, docs.function]);
    expect(intact.map((s) => s.Id)).toEqual([docs.service.id, docs.function.id]);

    const noEnd = serializeSegments(docs, "missing-end-time");
    const parsed = JSON.parse(noEnd[1]!.Document) as typeof docs.function;
    const inv = parsed.subsegments?.find((s) => s.name === "Invocation");
    expect(inv).toBeDefined();
    expect(inv && "end_time" in inv).toBe(false);
    expect(parsed.subsegments?.find((s) => s.name === "Initialization")?.end_time).toBeDefined();
    // Rendering is not mutated by breaking a copy.
    expect(docs.function.subsegments?.find((s) => s.name === "Invocation")?.end_time).toBeDefined();

    const cut = serializeSegments(docs, "invalid-json");
    expect(JSON.parse(cut[0]!.Document)).toEqual(docs.service);
    expect(() => JSON.parse(cut[1]!.Document)).toThrow(SyntaxError);
    expect(cut[1]!.Id).toBe(docs.function.id);
  });

  it("plants the first sampled payments-api trace of each UTC hour", () => {
    const hour = Date.UTC(2026, 0, 15, 11, 0, 0);
    const unsampled = invocation({ startMs: hour + 100, sampled: false, traceId: traceId(1) });
    const first = invocation({ startMs: hour + 200, traceId: traceId(2) });
    const second = invocation({ startMs: hour + 300, traceId: traceId(3) });
    const record = minuteOf([unsampled, first, second]);
    expect(isPlantedMalformed(fn, record, first)).toBe(true);
    expect(isPlantedMalformed(fn, record, second)).toBe(false);
    expect(isPlantedMalformed(simFunction("orders-api"), record, first)).toBe(false);
    expect(isPlantedMalformed(simFunction("payments-api", "eu-west-1"), record, first)).toBe(false);
    const later = invocation({ startMs: hour + 60_000, traceId: traceId(4) });
    expect(isPlantedMalformed(fn, minuteOf([later]), later)).toBe(false);
    expect(storedTrace(first, fn, record, ACCOUNT).facts.partial).toBe(true);
  });
});

describe("trace summaries", () => {
  it("summarises flags, timing, annotations and services from the documents", () => {
    const inv = invocation({
      initDurationMs: 250,
      outcome: "error",
      errorType: "TypeError",
      downstream: [
        {
          kind: "dynamodb",
          resource: "orders",
          operation: "Query",
          offsetMs: 1,
          durationMs: 5,
          outcome: "throttle",
          httpStatus: 400,
        },
      ],
    });
    const t = storedTrace(inv, fn, minuteOf([inv]), ACCOUNT);
    const s = traceSummary(t);
    expect(s).toMatchObject({
      Id: inv.traceId,
      StartTime: inv.startMs / 1000,
      HasFault: true,
      HasError: true,
      HasThrottle: true,
      IsPartial: false,
      Http: { HttpStatus: 200 },
      EntryPoint: { Name: "payments-api", Type: "AWS::Lambda", AccountId: ACCOUNT },
    });
    expect(s.ResponseTime).toBeGreaterThan((250 + inv.durationMs) / 1000);
    expect(s.Duration).toBeGreaterThanOrEqual(s.ResponseTime);
    expect(s.Annotations.coldStart?.[0]?.AnnotationValue).toEqual({ BooleanValue: true });
    expect(s.Annotations.version?.[0]?.AnnotationValue).toEqual({ StringValue: "7" });
    expect(s.Annotations.alias?.[0]?.AnnotationValue).toEqual({ StringValue: "live" });
    expect(s.ServiceIds.map((id) => `${id.Type}:${id.Name}`)).toEqual([
      "AWS::Lambda:payments-api",
      "AWS::Lambda::Function:payments-api",
      "AWS::DynamoDB::Table:DynamoDB",
    ]);
    expect(s.ResourceARNs.map((r) => r.ARN)).toEqual([
      `arn:aws:lambda:us-east-1:${ACCOUNT}:function:payments-api:live`,
      `arn:aws:lambda:us-east-1:${ACCOUNT}:function:payments-api:7`,
    ]);
  });

  it("reads the start second back from the trace id", () => {
    const inv = invocation();
    expect(traceStartSeconds(inv.traceId)).toBe(Math.floor(inv.startMs / 1000));
    expect(traceStartSeconds("1-xyz")).toBeNull();
  });
});

describe("service graph", () => {
  it("counts every response once per node and edge, with consistent totals", () => {
    const g = new ServiceGraphBuilder();
    const ok = invocation({ traceId: traceId(10) });
    const failed = invocation({ traceId: traceId(11), outcome: "error", errorType: "E" });
    const calls = invocation({
      traceId: traceId(12),
      downstream: [
        {
          kind: "dynamodb",
          resource: "t",
          operation: "GetItem",
          offsetMs: 1,
          durationMs: 2,
          outcome: "ok",
          httpStatus: 200,
        },
        {
          kind: "dynamodb",
          resource: "t",
          operation: "PutItem",
          offsetMs: 4,
          durationMs: 2,
          outcome: "throttle",
          httpStatus: 400,
        },
      ],
    });
    for (const inv of [ok, failed, calls]) g.add(storedTrace(inv, fn, minuteOf([inv]), ACCOUNT));
    const services = g.services();
    expect(services.map((s) => s.Type)).toEqual([
      "AWS::Lambda",
      "AWS::Lambda::Function",
      "client",
      "AWS::DynamoDB::Table",
    ]);
    const [lambda, func, client, ddb] = services;
    expect(client?.Edges.map((e) => e.ReferenceId)).toEqual([lambda?.ReferenceId]);
    expect(client?.Edges[0]?.SummaryStatistics.TotalCount).toBe(3);
    expect(func?.SummaryStatistics).toMatchObject({
      OkCount: 2,
      FaultStatistics: { TotalCount: 1 },
      TotalCount: 3,
    });
    const toDdb = func?.Edges.find((e) => e.ReferenceId === ddb?.ReferenceId);
    expect(toDdb?.SummaryStatistics).toMatchObject({
      OkCount: 1,
      ErrorStatistics: { ThrottleCount: 1, OtherCount: 0, TotalCount: 1 },
      TotalCount: 2,
    });
    for (const s of services) {
      for (const stats of [s.SummaryStatistics, ...s.Edges.map((e) => e.SummaryStatistics)]) {
        if (!stats) continue;
        expect(stats.OkCount + stats.ErrorStatistics.TotalCount + stats.FaultStatistics.TotalCount).toBe(
          stats.TotalCount,
        );
      }
      const hist = s.ResponseTimeHistogram ?? [];
      if (s.SummaryStatistics)
        expect(hist.reduce((n, h) => n + h.Count, 0)).toBe(s.SummaryStatistics.TotalCount);
    }
  });
});

describe("candidateFunctions", () => {
  const names = new Set(["payments-api", "orders-api", "DynamoDB"]);
  const c = (e: string) => {
    const r = candidateFunctions(parseFilter(e), names);
    return r ? [...r].sort() : null;
  };
  it("narrows the scan only when the filter pins the trace to Lambda functions", () => {
    expect(c('service("payments-api") AND fault')).toEqual(["payments-api"]);
    expect(c('service("payments-api") OR service("orders-api")')).toEqual(["orders-api", "payments-api"]);
    expect(c('service("payments-api") OR fault')).toBeNull();
    expect(c('service("DynamoDB")')).toBeNull();
    expect(c('service("api.stripe.com")')).toBeNull();
    expect(c('service(id(name: "payments-api", type: "remote"))')).toBeNull();
    expect(c('!service("payments-api")')).toBeNull();
    expect(c('service("payments-api") AND service("orders-api")')).toEqual([]);
  });
});

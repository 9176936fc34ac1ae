/** Pure OTel span rendering for Transaction Search (sandbox/src/spans): ids, times, attributes and status. */
import { describe, expect, it } from "vitest";
import type { DownstreamSpan } from "../../src/sim/types";
import { discoverFields, EventRow, jsonField } from "../../src/logs/insights/fields";
import { spanEvents } from "../../src/spans/log-events";
import { nanos, otelTraceId, renderSpans, serializeSpan } from "../../src/spans/otel";
import { isIndexed, visibleInXRay } from "../../src/spans/transaction-search";
import { renderTraceDocuments } from "../../src/xray/segments";
import { ACCOUNT, invocation, simFunction } from "./xray-fixtures";

const fn = simFunction();
const call = (over: Partial<DownstreamSpan>): DownstreamSpan => ({
  kind: "dynamodb",
  resource: "orders",
  operation: "GetItem",
  offsetMs: 5,
  durationMs: 12.5,
  outcome: "ok",
  httpStatus: 200,
  ...over,
});

describe("renderSpans", () => {
  it("derives ids and times from the X-Ray documents of the same invocation", () => {
    const inv = invocation({ initDurationMs: 250.5, downstream: [call({})] });
    const docs = renderTraceDocuments(inv, fn, ACCOUNT);
    const [root, init, client, ...rest] = renderSpans(inv, fn, ACCOUNT);
    expect(rest).toEqual([]);
    expect(root!.traceId).toBe(inv.traceId.slice(2).replace("-", ""));
    expect(root!.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(root!.spanId).toBe(inv.segmentId);
    expect(root!.parentSpanId).toBeUndefined();
    expect(root!.kind).toBe("SERVER");
    expect(root!.name).toBe("payments-api");
    expect(root!.startTimeUnixNano).toBe(nanos(docs.function.start_time));
    expect(root!.endTimeUnixNano).toBe(nanos(docs.function.end_time!));
    expect(root!.durationNano).toBe(root!.endTimeUnixNano - root!.startTimeUnixNano);
    const initSeg = docs.function.subsegments!.find((s) => s.name === "Initialization")!;
    expect(init).toMatchObject({
      name: "Init",
      kind: "INTERNAL",
      spanId: initSeg.id,
      parentSpanId: inv.segmentId,
    });
    // The Init span lasts exactly the REPORT line's Init Duration.
    expect(Number(init!.durationNano) / 1e6).toBeCloseTo(250.5, 6);
    const ds = docs.function.subsegments!.find((s) => s.name === "Invocation")!.subsegments![0]!;
    expect(client).toMatchObject({ kind: "CLIENT", spanId: ds.id, parentSpanId: inv.segmentId });
    expect(client!.startTimeUnixNano).toBe(nanos(ds.start_time));
  });

  it("carries the faas attributes on the root span and the resource of the function version", () => {
    const warm = renderSpans(invocation(), fn, ACCOUNT);
    expect(warm).toHaveLength(1);
    expect(warm[0]!.attributes).toMatchObject({
      "faas.invocation_id": invocation().requestId,
      "faas.coldstart": false,
    });
    expect(typeof warm[0]!.attributes["faas.trigger"]).toBe("string");
    expect(warm[0]!.resource.attributes).toMatchObject({
      "service.name": "payments-api",
      "cloud.provider": "aws",
      "cloud.platform": "aws_lambda",
      "cloud.region": "us-east-1",
      "cloud.account.id": ACCOUNT,
      "faas.name": "payments-api",
      "faas.version": "7",
      "aws.log.group.names": ["/aws/lambda/payments-api"],
    });
    expect(warm[0]!.status).toEqual({ code: "UNSET" });
    const cold = renderSpans(invocation({ initDurationMs: 100 }), fn, ACCOUNT);
    expect(cold[0]!.attributes["faas.coldstart"]).toBe(true);
  });

  it("names a SnapStart restore's span Restore", () => {
    const spans = renderSpans(invocation({ restoreDurationMs: 420.25 }), fn, ACCOUNT);
    expect(spans.map((s) => [s.name, s.kind])).toEqual([
      ["payments-api", "SERVER"],
      ["Restore", "INTERNAL"],
    ]);
    expect(spans[0]!.attributes["faas.coldstart"]).toBe(true);
  });

  it("marks a function error ERROR with an exception event carrying type, message and stack", () => {
    const inv = invocation({ outcome: "error", errorType: "TypeError", errorMessage: "x is undefined" });
    const [root] = renderSpans(inv, fn, ACCOUNT);
    expect(root!.status).toEqual({ code: "ERROR", message: "x is undefined" });
    expect(root!.events).toHaveLength(1);
    const ev = root!.events[0]!;
    expect(ev.name).toBe("exception");
    expect(ev.attributes["exception.type"]).toBe("TypeError");
    expect(ev.attributes["exception.message"]).toBe("x is undefined");
    expect(ev.attributes["exception.stacktrace"]).toMatch(/^TypeError: x is undefined\n {4}at .+:\d+\)/);
  });

  it("marks timeouts and OOM kills ERROR with a message and no exception event", () => {
    const timeout = renderSpans(invocation({ outcome: "timeout", durationMs: 3000 }), fn, ACCOUNT)[0]!;
    expect(timeout.status).toEqual({ code: "ERROR", message: "Task timed out after 3.00 seconds" });
    expect(timeout.events).toEqual([]);
    const oom = renderSpans(invocation({ outcome: "oom" }), fn, ACCOUNT)[0]!;
    expect(oom.status.code).toBe("ERROR");
    expect(oom.status.message).toMatch(/signal: killed/);
  });

  it("renders downstream calls with semantic-convention attributes by kind", () => {
    const inv = invocation({
      downstream: [
        call({}),
        call({
          kind: "s3",
          resource: "invoices",
          operation: "PutObject",
          outcome: "throttle",
          httpStatus: 503,
        }),
        call({
          kind: "sqs",
          resource: "orders-queue",
          operation: "SendMessage",
          outcome: "fault",
          httpStatus: 500,
        }),
        call({
          kind: "http",
          resource: "https://api.stripe.com",
          operation: "POST",
          outcome: "error",
          httpStatus: 402,
        }),
      ],
    });
    const [, ddb, s3, sqs, http] = renderSpans(inv, fn, ACCOUNT);
    expect(ddb).toMatchObject({ name: "DynamoDB.GetItem", status: { code: "UNSET" } });
    expect(ddb!.attributes).toMatchObject({
      "rpc.system": "aws-api",
      "rpc.service": "DynamoDB",
      "rpc.method": "GetItem",
      "db.system": "dynamodb",
      "aws.dynamodb.table_names": ["orders"],
      "http.response.status_code": 200,
    });
    expect(s3!.attributes).toMatchObject({ "rpc.service": "S3", "aws.s3.bucket": "invoices" });
    expect(s3!.status.code).toBe("ERROR");
    expect(sqs!.attributes).toMatchObject({
      "messaging.system": "aws_sqs",
      "messaging.destination.name": "orders-queue",
      "http.response.status_code": 500,
    });
    expect(sqs!.status.code).toBe("ERROR");
    expect(http).toMatchObject({ name: "POST", kind: "CLIENT", status: { code: "ERROR" } });
    expect(http!.attributes).toMatchObject({
      "http.request.method": "POST",
      "server.address": "api.stripe.com",
      "http.response.status_code": 402,
    });
    expect(String(http!.attributes["url.full"])).toMatch(/^https:\/\/api\.stripe\.com\//);
  });

  it("is deterministic", () => {
    const inv = invocation({ initDurationMs: 10, downstream: [call({})] });
    expect(renderSpans(inv, fn, ACCOUNT).map(serializeSpan)).toEqual(
      renderSpans(inv, fn, ACCOUNT).map(serializeSpan),
    );
  });
});

describe("serializeSpan", () => {
  it("writes the *UnixNano fields as exact JSON integers", () => {
    const [root] = renderSpans(invocation({ outcome: "error" }), fn, ACCOUNT);
    const json = serializeSpan(root!);
    const start = /"startTimeUnixNano":(\d+),/.exec(json)?.[1];
    expect(start).toBe(root!.startTimeUnixNano.toString());
    expect(/"timeUnixNano":(\d+),/.exec(json)?.[1]).toBe(root!.events[0]!.timeUnixNano.toString());
    const parsed = JSON.parse(json) as Record<string, unknown>;
    expect(parsed.traceId).toBe(otelTraceId(invocation().traceId));
    expect(parsed.kind).toBe("SERVER");
    expect(parsed.status).toMatchObject({ code: "ERROR" });
    expect(Object.keys(parsed)).toEqual([
      "resource",
      "scope",
      "traceId",
      "spanId",
      "flags",
      "name",
      "kind",
      "startTimeUnixNano",
      "endTimeUnixNano",
      "durationNano",
      "attributes",
      "events",
      "status",
    ]);
  });
});

describe("aws/spans events", () => {
  it("writes one event per span at its end, none for unsampled requests", () => {
    const inv = invocation({ initDurationMs: 50, downstream: [call({})] });
    const events = spanEvents(fn, inv, ACCOUNT);
    const spans = renderSpans(inv, fn, ACCOUNT);
    expect(events.map((e) => e.message)).toEqual(spans.map(serializeSpan));
    for (const [i, e] of events.entries()) {
      expect(e.timestamp).toBe(Math.round(Number(spans[i]!.endTimeUnixNano) / 1e6));
      expect(e.logStreamName).toBe("2026/01/15/payments-api");
    }
    expect(spanEvents(fn, invocation({ sampled: false }), ACCOUNT)).toEqual([]);
  });
});

describe("indexing", () => {
  it("indexes about 1 % of traces, deterministically, and only hides the rest in Transaction Search regions", () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `1-6b042867-${i.toString(16).padStart(24, "0")}`);
    const indexed = ids.filter(isIndexed);
    expect(indexed.length).toBeGreaterThan(120);
    expect(indexed.length).toBeLessThan(280);
    expect(ids.filter(isIndexed)).toEqual(indexed);
    const hidden = ids.find((id) => !isIndexed(id))!;
    expect(visibleInXRay("eu-west-1", hidden)).toBe(false);
    expect(visibleInXRay("us-east-1", hidden)).toBe(true);
    expect(visibleInXRay("eu-west-1", indexed[0]!)).toBe(true);
  });
});

describe("Insights fields of a span", () => {
  it("reads each field by path exactly as discovery flattens it, dotted attribute names included", () => {
    const inv = invocation({
      outcome: "error",
      initDurationMs: 20,
      downstream: [call({}), call({ kind: "http", resource: "https://x.example", operation: "GET" })],
    });
    for (const e of spanEvents(fn, inv, ACCOUNT)) {
      const flat = discoverFields(e.message);
      expect(flat.size).toBeGreaterThan(15);
      const parsed = JSON.parse(e.message) as unknown;
      for (const [name, value] of flat) expect([name, jsonField(parsed, name)]).toEqual([name, value]);
      const row = new EventRow(e, `${ACCOUNT}:aws/spans`);
      expect(row.get("attributes.faas.invocation_id")).toBe(flat.get("attributes.faas.invocation_id"));
      expect(row.get("status.code")).toBe(flat.get("status.code"));
      expect(row.get("resource.attributes.aws.log.group.names.0")).toBe("/aws/lambda/payments-api");
      expect(row.get("no.such.field")).toBeUndefined();
    }
  });
});

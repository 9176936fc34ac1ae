/**
 * OTel span documents (Transaction Search, contract C1) read into the console's trace model: the mapping of the
 * semantic conventions, the same tree / critical path / cold start / waterfall data the X-Ray path gives, and
 * hostile documents (never a throw, a problem for each thing dropped).
 */
import { describe, expect, it } from "vitest";
import { coldStartBreakdown } from "@/lib/core/traces/cold-start";
import { criticalPath } from "@/lib/core/traces/critical-path";
import { otelTraceIdOf, readOtelTrace, xrayTraceIdOf } from "@/lib/core/traces/otel";
import { parseStacktrace } from "@/lib/core/traces/otel-stack";
import { readTraceDocuments } from "@/lib/core/traces/trace-documents";
import type { RawSegment } from "@/lib/core/traces/types";
import { fromWaterfallData, toWaterfallData } from "@/lib/core/traces/waterfall-data";

const TRACE = "1-6756a2c0-0a1b2c3d4e5f60718293a4b5";
const OTEL_TRACE = "6756a2c00a1b2c3d4e5f60718293a4b5";
const T0 = 1_733_731_008_000; // ms
const ns = (msFromT0: number) => (T0 + msFromT0) * 1_000_000;

const resource = {
  attributes: {
    "service.name": "orders-api",
    "cloud.provider": "aws",
    "cloud.platform": "aws_lambda",
    "cloud.region": "eu-west-1",
    "cloud.account.id": "123456789012",
    "faas.name": "orders-api",
    "faas.version": "4",
    "aws.log.group.names": ["/aws/lambda/orders-api"],
  },
};

function span(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    resource,
    scope: { name: "opentelemetry.instrumentation.aws_lambda", version: "0.50b0" },
    traceId: OTEL_TRACE,
    flags: 256,
    kind: "INTERNAL",
    attributes: {},
    events: [],
    status: { code: "UNSET" },
    ...fields,
  };
}

const ROOT = "a1b2c3d4e5f60718";
const INIT = "b1b2c3d4e5f60718";
const HANDLER = "c1b2c3d4e5f60718";
const DDB = "d1b2c3d4e5f60718";
const SQS = "e1b2c3d4e5f60718";

/** A cold, failing invocation: Init, then the handler calling DynamoDB and SQS, the root recording the error. */
function coldTrace(): Record<string, unknown>[] {
  return [
    span({
      spanId: ROOT,
      name: "orders-api",
      kind: "SERVER",
      startTimeUnixNano: ns(0),
      endTimeUnixNano: ns(400),
      durationNano: 400_000_000,
      attributes: {
        "faas.invocation_id": "0f1e2d3c-4b5a-4697-8877-665544332211",
        "faas.trigger": "http",
        "faas.coldstart": true,
        "custom.tenant": "acme",
      },
      events: [
        {
          name: "exception",
          timeUnixNano: String(ns(399)),
          attributes: {
            "exception.type": "ValidationError",
            "exception.message": "order ord_91 has no items",
            "exception.stacktrace":
              "ValidationError: order ord_91 has no items\n    at validate (/var/task/orders.js:42:11)\n    at Runtime.handler (/var/task/index.js:7:3)",
          },
        },
      ],
      status: { code: "ERROR", message: "order ord_91 has no items" },
    }),
    span({
      spanId: INIT,
      parentSpanId: ROOT,
      name: "Init",
      startTimeUnixNano: ns(0),
      endTimeUnixNano: ns(150.5),
    }),
    span({
      spanId: HANDLER,
      parentSpanId: ROOT,
      name: "handler",
      startTimeUnixNano: ns(151),
      endTimeUnixNano: ns(398),
    }),
    span({
      spanId: DDB,
      parentSpanId: HANDLER,
      name: "DynamoDB.GetItem",
      kind: "CLIENT",
      // Decimal strings, as some exporters write them.
      startTimeUnixNano: String(ns(160)),
      endTimeUnixNano: String(ns(210)),
      attributes: {
        "rpc.system": "aws-api",
        "rpc.service": "DynamoDB",
        "rpc.method": "GetItem",
        "db.system": "dynamodb",
        "aws.dynamodb.table_names": ["orders"],
        "http.request.method": "POST",
        "url.full": "https://dynamodb.eu-west-1.amazonaws.com/",
        "server.address": "dynamodb.eu-west-1.amazonaws.com",
        "http.response.status_code": 200,
      },
    }),
    span({
      spanId: SQS,
      parentSpanId: HANDLER,
      name: "SQS.SendMessage",
      kind: "CLIENT",
      startTimeUnixNano: ns(200),
      endTimeUnixNano: ns(390),
      attributes: {
        "rpc.system": "aws-api",
        "rpc.service": "SQS",
        "rpc.method": "SendMessage",
        "messaging.system": "aws_sqs",
        "messaging.destination.name": "orders-events",
        "http.response.status_code": 503,
      },
      status: { code: "ERROR" },
    }),
  ];
}

const docs = (spans: unknown[]): RawSegment[] =>
  spans.map((s, i) => ({ id: `span-${i}`, document: typeof s === "string" ? s : JSON.stringify(s) }));

describe("trace ids", () => {
  it("converts between X-Ray's and OTel's forms", () => {
    expect(otelTraceIdOf(TRACE)).toBe(OTEL_TRACE);
    expect(xrayTraceIdOf(OTEL_TRACE)).toBe(TRACE);
  });
});

describe("readOtelTrace", () => {
  it("builds the tree in display order with exact microsecond times", () => {
    const { tree } = readOtelTrace(TRACE, docs(coldTrace()));
    expect(tree.problems).toEqual([]);
    expect(tree.spans.map((s) => s.name)).toEqual([
      "orders-api",
      "Init",
      "handler",
      "DynamoDB.GetItem",
      "SQS.SendMessage",
    ]);
    expect(Array.from(tree.depth)).toEqual([0, 1, 1, 2, 2]);
    expect(tree.spans[1]?.duration).toBe(150.5);
    expect(tree.spans[3]?.duration).toBe(50);
    expect(tree.start).toBe(T0);
    expect(tree.end).toBe(T0 + 400);
  });

  it("maps the Lambda root, its Init phase and the request facts", () => {
    const { tree, facts } = readOtelTrace(TRACE, docs(coldTrace()));
    const root = tree.spans[0]!;
    expect(root.kind).toBe("segment");
    expect(root.origin).toBe("AWS::Lambda::Function");
    expect(root.aws.request_id).toBe("0f1e2d3c-4b5a-4697-8877-665544332211");
    expect(root.annotations).toEqual({ cold_start: true, trigger: "http" });
    expect(root.resourceArn).toBe("arn:aws:lambda:eu-west-1:123456789012:function:orders-api:4");
    expect(tree.spans[1]?.phase).toBe("Initialization");
    expect(tree.spans[2]?.phase).toBeNull();
    expect(facts).toEqual({
      requestId: "0f1e2d3c-4b5a-4697-8877-665544332211",
      functionName: "orders-api",
      coldStart: true,
    });
    const breakdown = coldStartBreakdown(tree);
    expect(breakdown?.cold).toBe(true);
    expect(breakdown?.init).toBe(150.5);
    expect(breakdown?.version).toBe("4");
  });

  it("reads the executed version from cloud.resource_id and the alias from the invoked ARN", () => {
    const [root, ...rest] = coldTrace();
    const attributes = {
      ...(root!.attributes as Record<string, unknown>),
      "cloud.resource_id": "arn:aws:lambda:eu-west-1:123456789012:function:orders-api:7",
      "aws.lambda.invoked_arn": "arn:aws:lambda:eu-west-1:123456789012:function:orders-api:live",
    };
    const { tree } = readOtelTrace(TRACE, docs([{ ...root, attributes }, ...rest]));
    expect(tree.spans[0]?.resourceArn).toBe("arn:aws:lambda:eu-west-1:123456789012:function:orders-api:7");
    expect(tree.spans[0]?.annotations.alias).toBe("live");
    const breakdown = coldStartBreakdown(tree);
    expect(breakdown?.version).toBe("7");
    expect(breakdown?.alias).toBe("live");
  });

  it("maps AWS SDK calls like X-Ray subsegments, with http and the error class", () => {
    const { tree } = readOtelTrace(TRACE, docs(coldTrace()));
    const ddb = tree.spans[3]!;
    expect(ddb).toMatchObject({
      kind: "subsegment",
      namespace: "aws",
      aws: { operation: "GetItem", table_name: "orders" },
      http: { method: "POST", url: "https://dynamodb.eu-west-1.amazonaws.com/", status: 200 },
      fault: false,
      error: false,
    });
    // Attributes the mapping did not consume are kept, as values; db.* is read into its own section.
    expect(ddb.metadata.attributes).toEqual({ "server.address": "dynamodb.eu-west-1.amazonaws.com" });
    expect(ddb.metadata.db).toEqual({ system: "dynamodb" });
    const sqs = tree.spans[4]!;
    expect(sqs.aws).toEqual({ operation: "SendMessage", queue_name: "orders-events" });
    expect(sqs.metadata.messaging).toEqual({ system: "aws_sqs", destination: "orders-events" });
    expect(sqs.fault).toBe(true);
    expect(sqs.error).toBe(false);
  });

  it("reads exception events like X-Ray exceptions, with a parsed stack", () => {
    const { tree } = readOtelTrace(TRACE, docs(coldTrace()));
    const root = tree.spans[0]!;
    expect(root.fault).toBe(true);
    expect(root.exceptions).toEqual([
      {
        id: null,
        type: "ValidationError",
        message: "order ord_91 has no items",
        remote: false,
        stack: [
          { path: "/var/task/orders.js", line: 42, label: "validate" },
          { path: "/var/task/index.js", line: 7, label: "Runtime.handler" },
        ],
      },
    ]);
    expect(root.metadata.attributes).toEqual({ "custom.tenant": "acme" });
    expect(root.metadata.status).toBe("ERROR: order ord_91 has no items");
  });

  it("maps db.* of a non-AWS database call, current and older attribute names, as a remote call", () => {
    const [root, , handler] = coldTrace();
    const current = span({
      spanId: "a2b2c3d4e5f60718",
      parentSpanId: HANDLER,
      name: "SELECT orders",
      kind: "CLIENT",
      startTimeUnixNano: ns(160),
      endTimeUnixNano: ns(170),
      attributes: {
        "db.system": "postgresql",
        "db.namespace": "shop",
        "db.operation.name": "SELECT",
        "db.collection.name": "orders",
        "db.query.text": "SELECT * FROM orders WHERE id = $1",
        "server.address": "db.internal",
      },
    });
    const older = span({
      spanId: "a3b2c3d4e5f60718",
      parentSpanId: HANDLER,
      name: "mysql",
      kind: "CLIENT",
      startTimeUnixNano: ns(171),
      endTimeUnixNano: ns(180),
      attributes: {
        "db.system": "mysql",
        "db.name": "legacy",
        "db.operation": "UPDATE",
        "db.statement": "UPDATE stock SET n = n - 1",
      },
      status: { code: "ERROR" },
    });
    const { tree } = readOtelTrace(TRACE, docs([root, handler, current, older]));
    const byName = new Map(tree.spans.map((s) => [s.name, s]));
    expect(byName.get("SELECT orders")).toMatchObject({
      kind: "subsegment",
      namespace: "remote",
      http: null,
      metadata: {
        db: {
          system: "postgresql",
          namespace: "shop",
          operation: "SELECT",
          collection: "orders",
          query: "SELECT * FROM orders WHERE id = $1",
        },
        attributes: { "server.address": "db.internal" },
      },
    });
    expect(byName.get("mysql")).toMatchObject({
      namespace: "remote",
      fault: true,
      metadata: {
        db: {
          system: "mysql",
          namespace: "legacy",
          operation: "UPDATE",
          query: "UPDATE stock SET n = n - 1",
        },
      },
    });
    expect(byName.get("mysql")?.metadata.attributes).toBeUndefined();
  });

  it("maps messaging.* on any producer, consumer or client span, not on internal ones", () => {
    const [root, , handler] = coldTrace();
    const publish = span({
      spanId: "a4b2c3d4e5f60718",
      parentSpanId: HANDLER,
      name: "orders publish",
      kind: "SPAN_KIND_PRODUCER",
      startTimeUnixNano: ns(181),
      endTimeUnixNano: ns(190),
      attributes: {
        "messaging.system": "kafka",
        "messaging.destination.name": "orders",
        "messaging.operation.type": "publish",
        "messaging.message.id": "m-1",
      },
    });
    const consume = span({
      spanId: "a5b2c3d4e5f60718",
      parentSpanId: HANDLER,
      name: "orders process",
      kind: "CONSUMER",
      startTimeUnixNano: ns(191),
      endTimeUnixNano: ns(195),
      attributes: {
        "messaging.system": "rabbitmq",
        "messaging.operation": "process",
        "messaging.batch.message_count": 3,
      },
    });
    const internal = span({
      spanId: "a6b2c3d4e5f60718",
      parentSpanId: HANDLER,
      name: "local",
      startTimeUnixNano: ns(196),
      endTimeUnixNano: ns(197),
      attributes: { "messaging.system": "kafka" },
    });
    const { tree } = readOtelTrace(TRACE, docs([root, handler, publish, consume, internal]));
    const byName = new Map(tree.spans.map((s) => [s.name, s]));
    expect(byName.get("orders publish")).toMatchObject({
      namespace: "remote",
      metadata: {
        messaging: { system: "kafka", destination: "orders", operation: "publish", message_id: "m-1" },
      },
    });
    expect(byName.get("orders process")).toMatchObject({
      kind: "segment",
      namespace: null,
      metadata: { messaging: { system: "rabbitmq", operation: "process", batch_size: 3 } },
    });
    expect(byName.get("local")?.metadata).toMatchObject({ attributes: { "messaging.system": "kafka" } });
    expect(byName.get("local")?.metadata.messaging).toBeUndefined();
    // The sections survive the trip to the browser.
    const decoded = fromWaterfallData(JSON.parse(JSON.stringify(toWaterfallData(tree))));
    expect(decoded.tree.spans).toEqual(tree.spans);
  });

  it("4xx and 429 responses are errors and throttles, not faults", () => {
    const [root, , handler] = coldTrace();
    const throttled = span({
      spanId: "f1b2c3d4e5f60718",
      parentSpanId: HANDLER,
      name: "DynamoDB.PutItem",
      kind: "CLIENT",
      startTimeUnixNano: ns(200),
      endTimeUnixNano: ns(210),
      attributes: {
        "rpc.system": "aws-api",
        "rpc.service": "DynamoDB",
        "rpc.method": "PutItem",
        "http.status_code": "429",
      },
      status: { code: "STATUS_CODE_ERROR" },
    });
    const missing = span({
      spanId: "f2b2c3d4e5f60718",
      parentSpanId: HANDLER,
      name: "GET",
      kind: "CLIENT",
      startTimeUnixNano: ns(220),
      endTimeUnixNano: ns(230),
      attributes: {
        "http.method": "GET",
        "http.url": "https://api.example.com/x",
        "http.response.status_code": 404,
      },
      status: { code: 2 },
    });
    const { tree } = readOtelTrace(TRACE, docs([root, handler, throttled, missing]));
    const byName = new Map(tree.spans.map((s) => [s.name, s]));
    expect(byName.get("DynamoDB.PutItem")).toMatchObject({ throttle: true, error: true, fault: false });
    expect(byName.get("GET")).toMatchObject({
      namespace: "remote",
      error: true,
      fault: false,
      http: { method: "GET", url: "https://api.example.com/x", status: 404 },
    });
  });

  it("gives the same critical path and waterfall data as any trace", () => {
    const { tree } = readOtelTrace(TRACE, docs(coldTrace()));
    const onPath = criticalPath(tree);
    // The root; the handler (it ends last) and Init (done before the handler starts); under the handler the
    // SQS call (its last child), not the DynamoDB call that overlaps it.
    expect(tree.spans.filter((_, i) => onPath[i] === 1).map((s) => s.name)).toEqual([
      "orders-api",
      "Init",
      "handler",
      "SQS.SendMessage",
    ]);
    const decoded = fromWaterfallData(JSON.parse(JSON.stringify(toWaterfallData(tree))));
    expect(decoded.tree.spans).toEqual(tree.spans);
  });

  it("is reached through readTraceDocuments for the otel format", () => {
    const tree = readTraceDocuments(TRACE, { format: "otel", documents: docs(coldTrace()) });
    expect(tree.spans).toHaveLength(5);
    expect(readTraceDocuments(TRACE, { format: "xray", documents: docs(coldTrace()) }).spans).toHaveLength(0);
  });
});

describe("hostile span documents", () => {
  it("never throws, drops what it cannot read and says so", () => {
    const [root, , handler] = coldTrace();
    const hostile: unknown[] = [
      root,
      handler,
      "{not json",
      "[]",
      "null",
      JSON.stringify(span({ spanId: "zz", name: "bad id", startTimeUnixNano: ns(1) })),
      span({ spanId: "0000000000000000", name: "zero id", startTimeUnixNano: ns(1) }),
      span({ spanId: "1111111111111111", name: 42, startTimeUnixNano: ns(1) }),
      span({ spanId: "2222222222222222", name: "no start" }),
      span({ spanId: "3333333333333333", name: "huge", startTimeUnixNano: "99999999999999999999" }),
      span({ spanId: "4444444444444444", name: "negative", startTimeUnixNano: -5 }),
      span({
        spanId: "5555555555555555",
        name: "other trace",
        traceId: "f".repeat(32),
        startTimeUnixNano: ns(1),
      }),
      span({
        spanId: "6666666666666666",
        parentSpanId: ROOT,
        name: "backwards",
        startTimeUnixNano: ns(50),
        endTimeUnixNano: ns(10),
        kind: "SIDEWAYS",
        events: [42, { name: "exception", attributes: { "exception.type": 7 } }],
        status: { code: "MAYBE" },
      }),
    ];
    const { tree } = readOtelTrace(TRACE, docs(hostile));
    expect(tree.spans.map((s) => s.name)).toEqual(["orders-api", "backwards", "handler"]);
    const backwards = tree.spans[1]!;
    expect(backwards.endMissing).toBe(true);
    expect(backwards.end).toBe(tree.spans[0]!.end); // borrowed from its parent
    // The bad event is reported; the exception with a non-string type is kept without a type.
    expect(backwards.exceptions).toEqual([{ id: null, type: null, message: null, remote: false, stack: [] }]);
    const messages = tree.problems.map((p) => p.message).join("\n");
    expect(messages).toContain("not valid JSON");
    expect(messages).toContain("not a JSON object");
    expect(messages).toContain('"bad id" has no usable spanId');
    expect(messages).toContain('"zero id" has no usable spanId');
    expect(messages).toContain("A span has no usable name");
    expect(messages).toContain('"no start" has no usable startTimeUnixNano');
    expect(messages).toContain('"huge" has no usable startTimeUnixNano');
    expect(messages).toContain('"negative" has no usable startTimeUnixNano');
    expect(messages).toContain("belongs to another trace");
    expect(messages).toContain('"backwards" ends before it starts');
    expect(messages).toContain('"backwards" has an unreadable kind');
    expect(messages).toContain('"backwards" has an unreadable status');
    expect(tree.problems.some((p) => p.path === "events[0]")).toBe(true);
  });

  it("drops a __proto__ attribute and never pollutes prototypes", () => {
    const doc = `{"traceId":"${OTEL_TRACE}","spanId":"${ROOT}","name":"p","kind":"SERVER","startTimeUnixNano":${ns(0)},"endTimeUnixNano":${ns(1)},"attributes":{"__proto__":{"polluted":true},"faas.invocation_id":"r","x.y":"1"}}`;
    const { tree, facts } = readOtelTrace(TRACE, [{ id: "x", document: doc }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const attrs = tree.spans[0]!.metadata.attributes as Record<string, unknown>;
    expect(Object.getPrototypeOf(attrs)).toBe(Object.prototype);
    expect(attrs).toEqual({ "x.y": "1" });
    expect((attrs as { polluted?: unknown }).polluted).toBeUndefined();
    expect(facts.requestId).toBe("r");
  });

  it("survives duplicate ids, parent cycles and a 4,000-deep chain", () => {
    const chain = Array.from({ length: 4_000 }, (_, i) =>
      span({
        spanId: (i + 1).toString(16).padStart(16, "0"),
        ...(i > 0 ? { parentSpanId: i.toString(16).padStart(16, "0") } : {}),
        name: `s${i}`,
        startTimeUnixNano: ns(i / 100),
        endTimeUnixNano: ns(200 - i / 100),
      }),
    );
    const { tree } = readOtelTrace(TRACE, docs(chain));
    expect(tree.spans).toHaveLength(4_000);
    expect(tree.depth[3_999]).toBe(3_999);
    expect(criticalPath(tree).reduce((a, b) => a + b, 0)).toBe(4_000);

    const a = span({
      spanId: "a".repeat(16),
      parentSpanId: "b".repeat(16),
      name: "a",
      startTimeUnixNano: ns(0),
    });
    const b = span({
      spanId: "b".repeat(16),
      parentSpanId: "a".repeat(16),
      name: "b",
      startTimeUnixNano: ns(1),
    });
    const cyc = readOtelTrace(TRACE, docs([a, b, a]));
    expect(cyc.tree.spans).toHaveLength(3);
    expect(cyc.tree.problems.map((p) => p.message).join("\n")).toMatch(/share the id[\s\S]*parent cycle/);
  });
});

describe("parseStacktrace", () => {
  it("reads Python and Java frames and keeps unknown text as labels", () => {
    expect(
      parseStacktrace(
        'Traceback (most recent call last):\n  File "/var/task/app.py", line 12, in handler\n    raise KeyError("x")\nKeyError: \'x\'',
      ),
    ).toEqual([{ path: "/var/task/app.py", line: 12, label: "handler" }]);
    expect(
      parseStacktrace("java.lang.IllegalStateException: boom\n\tat com.acme.Orders.handle(Orders.java:88)"),
    ).toEqual([{ path: "Orders.java", line: 88, label: "com.acme.Orders.handle" }]);
    expect(parseStacktrace("something odd\nhappened")).toEqual([
      { path: null, line: null, label: "something odd" },
      { path: null, line: null, label: "happened" },
    ]);
  });

  it("bounds frames and line length on hostile text", () => {
    const frames = parseStacktrace(`${"at f (x.js:1:1)\n".repeat(5_000)}${"(".repeat(100_000)}`);
    expect(frames).toHaveLength(100);
    const long = parseStacktrace(`at ${" (".repeat(50_000)}`);
    expect(long.length).toBeLessThanOrEqual(1);
  });
});

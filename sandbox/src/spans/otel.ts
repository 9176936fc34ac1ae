/**
 * Renders one sampled invocation as the OpenTelemetry span documents Transaction Search stores in `aws/spans`
 * (one JSON document per span; contract C1 of issue 14): a SERVER span for the function, an INTERNAL `Init`
 * (SnapStart: `Restore`) child on a cold start, and one CLIENT child per downstream call.
 *
 * Invariants:
 * - Pure and deterministic: derived from the X-Ray segment documents of the same invocation (xray/segments.ts),
 *   so ids and times agree with BatchGetTraces: traceId is the X-Ray id without `1-` and dashes, the root span id
 *   is the function segment id (the REPORT line's SegmentId), Init/Restore and CLIENT span ids are the matching
 *   subsegment ids, and every time is the segment's time (a microsecond grid) in nanoseconds.
 * - *UnixNano fields are bigint here and integers in the JSON (serializeSpan): epoch nanoseconds exceed 2^53.
 * - Status as ADOT's Lambda and AWS SDK instrumentations set it: UNSET when nothing failed; ERROR with a message
 *   on a function error (plus an `exception` event with type, message and stack), a timeout or an OOM kill
 *   (no stack: the runtime was stopped from outside), and on a downstream call that errored, faulted or was
 *   throttled.
 */
import type { SimFunction } from "../fleet/model";
import type { Invocation } from "../sim/types";
import type { ExceptionDoc, SegmentDoc, StackFrame, SubsegmentDoc } from "../xray/documents";
import { renderTraceDocuments, versionOf } from "../xray/segments";

export type SpanKind = "SERVER" | "CLIENT" | "INTERNAL" | "PRODUCER" | "CONSUMER";
export type AttributeValue = string | number | boolean | string[];

export interface SpanEvent {
  name: string;
  timeUnixNano: bigint;
  attributes: Record<string, AttributeValue>;
}

export interface SpanDocument {
  resource: { attributes: Record<string, AttributeValue> };
  scope: { name: string; version: string };
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  flags: number;
  name: string;
  kind: SpanKind;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  durationNano: bigint;
  attributes: Record<string, AttributeValue>;
  events: SpanEvent[];
  status: { code: "UNSET" | "OK" | "ERROR"; message?: string };
}

/** W3C trace flags: sampled (0x01) is carried by X-Ray's header; 0x100 marks a remote-aware (ADOT) exporter. */
const FLAGS = 256;

/** `1-5759e988-bd862e3fe1be46a994272793` → `5759e988bd862e3fe1be46a994272793`. */
export const otelTraceId = (xrayTraceId: string): string => xrayTraceId.slice(2).replace("-", "");

/** Segment seconds (microsecond grid) → epoch nanoseconds, exactly. */
export const nanos = (seconds: number): bigint => BigInt(Math.round(seconds * 1_000_000)) * 1000n;

type Scope = SpanDocument["scope"];
/** The instrumentation libraries ADOT's layers report, per runtime family (shared objects: see jsonOnce). */
const SCOPES: Record<"python" | "java" | "nodejs", { lambda: Scope; sdk: Scope; http: Scope }> = {
  python: {
    lambda: { name: "opentelemetry.instrumentation.aws_lambda", version: "0.48b0" },
    sdk: { name: "opentelemetry.instrumentation.botocore", version: "0.48b0" },
    http: { name: "opentelemetry.instrumentation.urllib3", version: "0.48b0" },
  },
  java: {
    lambda: { name: "io.opentelemetry.aws-lambda-core-1.0", version: "2.10.0-alpha" },
    sdk: { name: "io.opentelemetry.aws-sdk-2.2", version: "2.10.0-alpha" },
    http: { name: "io.opentelemetry.java-http-client", version: "2.10.0-alpha" },
  },
  nodejs: {
    lambda: { name: "@opentelemetry/instrumentation-aws-lambda", version: "0.50.3" },
    sdk: { name: "@opentelemetry/instrumentation-aws-sdk", version: "0.49.1" },
    http: { name: "@opentelemetry/instrumentation-http", version: "0.57.2" },
  },
};

/** The ADOT language of a runtime (custom runtimes and images are reported as nodejs, ADOT's default layer). */
const language = (runtime: string): keyof typeof SCOPES =>
  runtime.startsWith("python") ? "python" : runtime.startsWith("java") ? "java" : "nodejs";

/** One resource object per (account, function, version): every span of that version shares it. */
const resources = new Map<string, SpanDocument["resource"]>();
const MAX_RESOURCES = 10_000;
function resourceOf(fn: SimFunction, inv: Invocation, accountId: string, runtime: string) {
  const key = `${accountId}/${fn.region}/${fn.name}/${inv.version}/${inv.memorySizeMb}/${fn.logGroup}/${runtime}`;
  let r = resources.get(key);
  if (r === undefined) {
    if (resources.size >= MAX_RESOURCES) resources.clear();
    r = {
      attributes: {
        "service.name": fn.name,
        "cloud.provider": "aws",
        "cloud.platform": "aws_lambda",
        "cloud.region": fn.region,
        "cloud.account.id": accountId,
        "faas.name": fn.name,
        "faas.version": inv.version,
        "faas.max_memory": inv.memorySizeMb * 1024 * 1024,
        "aws.log.group.names": [fn.logGroup],
        "telemetry.sdk.language": language(runtime),
      },
    };
    resources.set(key, r);
  }
  return r;
}

/** OTel's faas.trigger for what invokes the function (its first trigger; `other` when it has none). */
export function faasTrigger(fn: SimFunction): string {
  const mapping = fn.eventSources?.find((m) => m.state === "Enabled");
  if (mapping) return mapping.kind === "sqs" ? "pubsub" : "datasource";
  if (fn.functionUrl) return "http";
  const push = fn.pushSources?.[0]?.principal;
  if (push === "apigateway.amazonaws.com" || push === "edgelambda.amazonaws.com") return "http";
  if (push === "sns.amazonaws.com") return "pubsub";
  if (push === "s3.amazonaws.com") return "datasource";
  if (push === "events.amazonaws.com") return "timer";
  return "other";
}

function stackText(runtime: string, e: ExceptionDoc): string {
  const frames: StackFrame[] = e.stack ?? [];
  if (runtime.startsWith("python")) {
    const lines = frames.map((f) => `  File "${f.path}", line ${f.line}, in ${f.label}`);
    return ["Traceback (most recent call last):", ...lines, `${e.type}: ${e.message}`].join("\n");
  }
  return [`${e.type}: ${e.message}`, ...frames.map((f) => `    at ${f.label} (${f.path}:${f.line})`)].join(
    "\n",
  );
}

const span = (
  base: Pick<SpanDocument, "resource" | "traceId" | "flags">,
  scope: SpanDocument["scope"],
  doc: { id: string; start_time: number; end_time?: number },
  rest: Pick<SpanDocument, "name" | "kind" | "attributes" | "events" | "status"> & { parentSpanId?: string },
): SpanDocument => {
  const start = nanos(doc.start_time);
  const end = nanos(doc.end_time ?? doc.start_time);
  return {
    resource: base.resource,
    scope,
    traceId: base.traceId,
    spanId: doc.id,
    ...(rest.parentSpanId !== undefined ? { parentSpanId: rest.parentSpanId } : {}),
    flags: base.flags,
    name: rest.name,
    kind: rest.kind,
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    durationNano: end - start,
    attributes: rest.attributes,
    events: rest.events,
    status: rest.status,
  };
};

function rootStatus(inv: Invocation, fnSeg: SegmentDoc, runtime: string) {
  const cause = typeof fnSeg.cause === "object" ? fnSeg.cause.exceptions[0] : undefined;
  if (inv.outcome === "success" || !cause) return { status: { code: "UNSET" as const }, events: [] };
  const events: SpanEvent[] =
    inv.outcome === "error"
      ? [
          {
            name: "exception",
            timeUnixNano: nanos(fnSeg.end_time ?? fnSeg.start_time),
            attributes: {
              "exception.type": cause.type,
              "exception.message": cause.message,
              "exception.stacktrace": stackText(runtime, cause),
            },
          },
        ]
      : [];
  return { status: { code: "ERROR" as const, message: cause.message }, events };
}

function clientSpan(
  sub: SubsegmentDoc,
  inv: Invocation,
): Pick<SpanDocument, "name" | "attributes" | "events" | "status"> {
  const status = sub.http?.response?.status;
  const failed = sub.error === true || sub.fault === true || sub.throttle === true;
  const exception = typeof sub.cause === "object" ? sub.cause.exceptions[0] : undefined;
  const attributes: Record<string, AttributeValue> = {};
  let name: string;
  if (sub.namespace === "remote") {
    const url = sub.http?.request?.url ?? `https://${sub.name}/`;
    const method = sub.http?.request?.method ?? "GET";
    name = method;
    attributes["http.request.method"] = method;
    attributes["url.full"] = url;
    attributes["server.address"] = sub.name;
    attributes["server.port"] = 443;
  } else {
    const aws = sub.aws ?? {};
    const operation = String(aws.operation ?? "");
    name = `${sub.name}.${operation}`;
    attributes["rpc.system"] = "aws-api";
    attributes["rpc.service"] = sub.name;
    attributes["rpc.method"] = operation;
    attributes["cloud.region"] = inv.region;
    if (aws.request_id !== undefined) attributes["aws.request_id"] = String(aws.request_id);
    if (sub.name === "DynamoDB") {
      attributes["db.system"] = "dynamodb";
      attributes["db.operation"] = operation;
      attributes["aws.dynamodb.table_names"] = [String(aws.table_name ?? "")];
    } else if (sub.name === "S3") {
      attributes["aws.s3.bucket"] = String(aws.bucket_name ?? "");
    } else if (sub.name === "SQS") {
      const queueUrl = String(aws.queue_url ?? "");
      attributes["messaging.system"] = "aws_sqs";
      attributes["messaging.destination.name"] = queueUrl.split("/").at(-1) ?? "";
      attributes["messaging.operation"] = operation === "SendMessage" ? "publish" : operation;
      attributes["url.full"] = queueUrl;
    }
    attributes["server.address"] = `${sub.name.toLowerCase()}.${inv.region}.amazonaws.com`;
  }
  if (status !== undefined) attributes["http.response.status_code"] = status;
  return {
    name,
    attributes,
    events:
      exception !== undefined
        ? [
            {
              name: "exception",
              timeUnixNano: nanos(sub.end_time ?? sub.start_time),
              attributes: { "exception.type": exception.type, "exception.message": exception.message },
            },
          ]
        : [],
    status: failed
      ? { code: "ERROR", message: exception?.message ?? `HTTP ${status ?? "error"}` }
      : { code: "UNSET" },
  };
}

/** The invocation's spans, root first, then Init/Restore, then the downstream calls in start order. */
export function renderSpans(inv: Invocation, fn: SimFunction, accountId: string): SpanDocument[] {
  const docs = renderTraceDocuments(inv, fn, accountId);
  const fnSeg = docs.function;
  const runtime = versionOf(fn, inv.version).runtime ?? "provided";
  const base = {
    resource: resourceOf(fn, inv, accountId, runtime),
    traceId: otelTraceId(inv.traceId),
    flags: FLAGS,
  };
  const scopes = SCOPES[language(runtime)];
  const scope = scopes.lambda;
  const subs = fnSeg.subsegments ?? [];
  const coldStart = inv.initDurationMs !== null || inv.restoreDurationMs != null;
  const { status, events } = rootStatus(inv, fnSeg, runtime);
  const out: SpanDocument[] = [
    span(base, scope, fnSeg, {
      name: fn.name,
      kind: "SERVER",
      attributes: {
        "faas.invocation_id": inv.requestId,
        "faas.trigger": faasTrigger(fn),
        "faas.coldstart": coldStart,
        "cloud.resource_id": String(fnSeg.resource_arn ?? ""),
        "aws.lambda.invoked_arn": String(docs.service.resource_arn ?? ""),
        "aws.xray.trace_id": inv.traceId,
      },
      events,
      status,
    }),
  ];
  for (const sub of subs) {
    if (sub.name !== "Initialization" && sub.name !== "Restore") continue;
    out.push(
      span(base, scope, sub, {
        name: sub.name === "Restore" ? "Restore" : "Init",
        kind: "INTERNAL",
        parentSpanId: fnSeg.id,
        attributes: { "faas.coldstart": true },
        events: [],
        status: { code: "UNSET" },
      }),
    );
  }
  const handler = subs.find((s) => s.name === "Invocation");
  for (const sub of handler?.subsegments ?? []) {
    out.push(
      span(base, sub.namespace === "remote" ? scopes.http : scopes.sdk, sub, {
        kind: "CLIENT",
        parentSpanId: fnSeg.id,
        ...clientSpan(sub, inv),
      }),
    );
  }
  return out;
}

/** JSON of shared parts (a version's resource, a scope), by identity: they repeat on every span. */
const sharedJson = new WeakMap<object, string>();
function jsonOnce(part: object): string {
  let json = sharedJson.get(part);
  if (json === undefined) sharedJson.set(part, (json = JSON.stringify(part)));
  return json;
}

const eventJson = (e: SpanEvent) =>
  `{"name":${JSON.stringify(e.name)},"timeUnixNano":${e.timeUnixNano},"attributes":${JSON.stringify(e.attributes)}}`;

/**
 * A span document as JSON, keys in SpanDocument's order, with its *UnixNano fields as exact integers. Written by
 * hand rather than with a JSON.stringify replacer: aws/spans scans render every span, and this is 2–3× faster.
 */
export function serializeSpan(doc: SpanDocument): string {
  return (
    `{"resource":${jsonOnce(doc.resource)},"scope":${jsonOnce(doc.scope)},"traceId":"${doc.traceId}",` +
    `"spanId":"${doc.spanId}",${doc.parentSpanId !== undefined ? `"parentSpanId":"${doc.parentSpanId}",` : ""}` +
    `"flags":${doc.flags},"name":${JSON.stringify(doc.name)},"kind":"${doc.kind}",` +
    `"startTimeUnixNano":${doc.startTimeUnixNano},"endTimeUnixNano":${doc.endTimeUnixNano},` +
    `"durationNano":${doc.durationNano},"attributes":${JSON.stringify(doc.attributes)},` +
    `"events":[${doc.events.map(eventJson).join(",")}],"status":${JSON.stringify(doc.status)}}`
  );
}

/** The end of a span, epoch ms (what its aws/spans log event is stamped with, whole ms). */
export const spanEndMs = (doc: SpanDocument): number =>
  Math.round(Number(doc.endTimeUnixNano / 1000n) / 1000);

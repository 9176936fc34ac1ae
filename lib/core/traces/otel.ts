/**
 * Reads OpenTelemetry span documents (Transaction Search: the `aws/spans` log events, ListRetrievedTraces with
 * TraceFormat OTEL) into the console's trace model, so the waterfall, critical path, span details, cold start and
 * log correlation work as they do for X-Ray segments.
 *
 * Mapping (OTel semantic conventions → what an X-Ray segment would say):
 * - The Lambda SERVER root (resource `cloud.platform` aws_lambda or `faas.*` attributes) is the function
 *   segment (origin AWS::Lambda::Function): `faas.invocation_id` is its request id, `faas.version` the executed
 *   version (in a resource ARN, as X-Ray's), `faas.coldstart` / `faas.trigger` stay visible as annotations, the
 *   qualifier of `aws.lambda.invoked_arn` is the alias annotation (when not a version); its
 *   INTERNAL child "Init" is the Initialization phase (SnapStart's "Restore" is kept under its own name).
 * - CLIENT spans of the AWS SDK (`rpc.system` aws-api) are `aws` subsegments labelled "<service>.<method>" with
 *   `aws.operation`, table / queue names; other CLIENT spans with HTTP attributes are `remote`.
 * - `http.*` / `url.*` (and their pre-1.20 names) become the span's http; status ERROR is a fault (a 4xx
 *   response: an error; 429: a throttle, span-status.ts), as X-Ray marks them; `exception` events become
 *   exceptions.
 * - `db.*` (system, namespace, operation, collection, query text; older names too) on any span, and
 *   `messaging.*` on CLIENT / PRODUCER / CONSUMER spans, become the span's `db` / `messaging` metadata, shown as
 *   sections of the span details; a CLIENT or PRODUCER span with http, db or messaging facts is `remote`.
 * - Every attribute the mapping did not consume is kept in the span's metadata and shown as text.
 *
 * Invariants: total (never throws on any input); a document with a bad core field (trace id, span id, name,
 * start) is dropped with a problem, another bad field is dropped alone with a problem; a span of another trace
 * is dropped with a problem; attribute maps come back from zod without a `__proto__` key and are copied onto plain objects, so no
 * document can reach a prototype.
 */
import { epochMs, ms } from "../units";
import {
  otelEventSchema,
  otelSpanCoreSchema,
  otelSpanOptionalSchemas,
  readNameOf,
  traceIdSchema,
  type OtelAttributes,
  type OtelSpanCore,
  type OtelSpanOptional,
} from "./otel-schema";
import { parseStacktrace } from "./otel-stack";
import { spanFailure } from "./span-status";
import type { ParsedTrace } from "./parse";
import { buildSpanTree, FUNCTION_ORIGIN } from "./tree";
import type { AnnotationValue, RawSegment, Span, SpanException, SpanHttp, SpanTree } from "./types";

/** `1-5759e988-bd862e3fe1be46a994272793` → `5759e988bd862e3fe1be46a994272793` (OTel's form of the same id). */
export const otelTraceIdOf = (xrayTraceId: string): string =>
  xrayTraceId.slice(2).replace("-", "").toLowerCase();

/** The reverse: OTel's 32 hex digits in X-Ray's form. */
export const xrayTraceIdOf = (otelTraceId: string): string =>
  `1-${otelTraceId.slice(0, 8)}-${otelTraceId.slice(8)}`.toLowerCase();

/** What the root span says about the request, beyond the tree. */
export interface OtelTraceFacts {
  /** `faas.invocation_id` of the Lambda root span: the Lambda request id. */
  requestId: string | null;
  /** `faas.name` (resource), else the resource's `service.name`. */
  functionName: string | null;
  /** `faas.coldstart` of the root span; null when not recorded. */
  coldStart: boolean | null;
}

export interface OtelTrace {
  tree: SpanTree;
  facts: OtelTraceFacts;
}

type OptionalField = keyof typeof otelSpanOptionalSchemas;

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const int = (v: unknown): number | null => {
  const n = typeof v === "string" && /^\d{1,6}$/.test(v) ? Number(v) : v;
  return typeof n === "number" && Number.isInteger(n) ? n : null;
};
const first = (a: OtelAttributes, ...keys: string[]) => {
  for (const k of keys) if (Object.hasOwn(a, k) && a[k] !== undefined) return a[k];
  return undefined;
};
/** A plain-object copy of an attribute map (zod returns them with a null prototype, `__proto__` dropped). */
const copy = (a: OtelAttributes | undefined): OtelAttributes =>
  a === undefined ? {} : Object.fromEntries(Object.entries(a));

const describe = (field: string, v: unknown) =>
  v === undefined ? `has no ${field}` : `has an unreadable ${field} (${JSON.stringify(v)?.slice(0, 40)})`;

/** The attributes each mapping consumes; the rest are kept as metadata. */
const HTTP_KEYS = [
  "http.request.method",
  "http.method",
  "url.full",
  "http.url",
  "http.response.status_code",
  "http.status_code",
];
const ROOT_KEYS = ["faas.invocation_id", "faas.coldstart", "faas.trigger", "aws.lambda.invoked_arn"];

/**
 * Database and messaging facts, each under one name, read from the current semantic-convention attribute
 * first, then its older name (db 1.26 renamed db.statement → db.query.text, db.name → db.namespace,
 * db.operation → db.operation.name; messaging 1.26 renamed messaging.operation → messaging.operation.type).
 */
const DB_FIELDS: readonly (readonly [string, ...string[]])[] = [
  ["system", "db.system.name", "db.system"],
  ["namespace", "db.namespace", "db.name"],
  ["operation", "db.operation.name", "db.operation"],
  ["collection", "db.collection.name", "db.sql.table", "db.mongodb.collection"],
  ["query", "db.query.text", "db.statement"],
];
const MESSAGING_FIELDS: readonly (readonly [string, ...string[]])[] = [
  ["system", "messaging.system"],
  ["destination", "messaging.destination.name", "messaging.destination"],
  ["operation", "messaging.operation.type", "messaging.operation"],
  ["operation_name", "messaging.operation.name"],
  ["message_id", "messaging.message.id", "messaging.message_id"],
  ["batch_size", "messaging.batch.message_count"],
];
/** Span kinds that talk to a broker or a peer: their messaging.* attributes describe the exchange. */
const MESSAGING_KINDS = new Set(["CLIENT", "PRODUCER", "CONSUMER"]);

interface Read {
  core: OtelSpanCore;
  opt: OtelSpanOptional;
}

export function parseOtelSpans(
  traceId: string,
  raw: readonly RawSegment[],
): ParsedTrace & { facts: OtelTraceFacts } {
  const out: ParsedTrace = { spans: [], parentId: [], segmentId: [], startUs: [], endUs: [], problems: [] };
  const facts: OtelTraceFacts = { requestId: null, functionName: null, coldStart: null };
  const wanted = traceIdSchema.safeParse(otelTraceIdOf(traceId));
  const expected = wanted.success ? wanted.data : null;

  for (const doc of raw) {
    const problem = (path: string, message: string) =>
      out.problems.push({ segmentId: doc.id, path, message });
    let value: unknown;
    try {
      value = JSON.parse(doc.document);
    } catch {
      problem(
        "",
        `The span document ${doc.id} is not valid JSON (${doc.document.length} characters): skipped.`,
      );
      continue;
    }
    const read = readDocument(value, problem);
    if (read === null) continue;
    if (expected !== null && read.core.traceId !== expected) {
      problem("traceId", `"${read.core.name}" belongs to another trace (${read.core.traceId}): skipped.`);
      continue;
    }
    const span = toSpan(read, problem);
    const startUs = read.core.startUs;
    let endUs = read.opt.endUs ?? NaN;
    if (endUs < startUs) {
      problem("endTimeUnixNano", `"${read.core.name}" ends before it starts: its end is unknown.`);
      endUs = NaN;
    } else if (Number.isNaN(endUs) && read.opt.endUs === undefined) {
      problem("endTimeUnixNano", `"${read.core.name}" has no end time: its end is taken from its parent.`);
    }
    span.endMissing = Number.isNaN(endUs);
    out.spans.push(span);
    out.parentId.push(read.opt.parentSpanId ?? null);
    out.segmentId.push(doc.id);
    out.startUs.push(startUs);
    out.endUs.push(endUs);
    if (span.origin === FUNCTION_ORIGIN && facts.requestId === null) {
      const attrs = read.opt.attributes ?? {};
      const resource = read.opt.resource?.attributes ?? {};
      facts.requestId = str(first(attrs, "faas.invocation_id"));
      facts.functionName = str(first(resource, "faas.name", "service.name"));
      const cold = first(attrs, "faas.coldstart");
      facts.coldStart = typeof cold === "boolean" ? cold : null;
    }
  }
  return { ...out, facts };
}

function readDocument(value: unknown, problem: (path: string, message: string) => void): Read | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    problem("", "A span document is not a JSON object: skipped.");
    return null;
  }
  const v = value as Record<string, unknown>;
  const core = otelSpanCoreSchema.safeParse(v);
  if (!core.success) {
    const bad = core.error.issues.map((i) => String(i.path[0] ?? "")).filter((p, i, a) => a.indexOf(p) === i);
    const label = typeof v.name === "string" ? `"${v.name.slice(0, 80)}"` : "A span";
    problem("", `${label} has no usable ${bad.join(", ")}: it is not shown.`);
    return null;
  }
  const opt: Record<string, unknown> = {};
  for (const field of Object.keys(otelSpanOptionalSchemas) as OptionalField[]) {
    if (v[field] === undefined) continue;
    const r = otelSpanOptionalSchemas[field].safeParse(v[field]);
    if (r.success) opt[readNameOf(field)] = r.data;
    else problem(field, `"${core.data.name}" ${describe(field, v[field])}: ignored.`);
  }
  return { core: core.data, opt: opt as OtelSpanOptional };
}

function isLambdaRoot({ opt }: Read, attrs: OtelAttributes, resource: OtelAttributes): boolean {
  if (opt.parentSpanId !== undefined || (opt.kind !== undefined && opt.kind !== "SERVER")) return false;
  return resource["cloud.platform"] === "aws_lambda" || Object.hasOwn(attrs, "faas.invocation_id");
}

function toSpan(read: Read, problem: (path: string, message: string) => void): Span {
  const { core, opt } = read;
  const attrs = copy(opt.attributes);
  const resource = copy(opt.resource?.attributes);
  const used = new Set<string>();
  const take = (...keys: string[]) => {
    for (const k of keys) used.add(k);
    return first(attrs, ...keys);
  };

  const root = isLambdaRoot(read, attrs, resource);
  const awsApi = take("rpc.system") === "aws-api";
  const service = awsApi ? str(take("rpc.service")) : null;
  const method = awsApi ? str(take("rpc.method")) : null;
  const http = readHttp(attrs, take);
  const db = readGroup(attrs, take, DB_FIELDS);
  const messaging =
    awsApi || (opt.kind !== undefined && MESSAGING_KINDS.has(opt.kind))
      ? readGroup(attrs, take, MESSAGING_FIELDS)
      : null;
  const aws: Record<string, unknown> = {};
  const annotations: Record<string, AnnotationValue> = {};
  let resourceArn: string | null = null;
  let name = core.name;

  if (root) {
    for (const k of ROOT_KEYS) used.add(k);
    const requestId = str(attrs["faas.invocation_id"]);
    if (requestId !== null) aws.request_id = requestId;
    const cold = attrs["faas.coldstart"];
    if (typeof cold === "boolean") annotations.cold_start = cold;
    const trigger = str(attrs["faas.trigger"]);
    if (trigger !== null) annotations.trigger = trigger;
    used.add("cloud.resource_id");
    resourceArn = functionArn(attrs, resource);
    // The ARN the caller invoked: its qualifier, when not a version, is the alias (X-Ray's AWS::Lambda segment).
    const invoked = str(attrs["aws.lambda.invoked_arn"])?.split(":");
    const alias = invoked?.length === 8 ? invoked[7] : undefined;
    if (alias !== undefined && alias !== "$LATEST" && !/^\d+$/.test(alias)) annotations.alias = alias;
  }
  if (awsApi) {
    if (service !== null && method !== null) name = `${service}.${method}`;
    if (method !== null) aws.operation = method;
    const tables = take("aws.dynamodb.table_names");
    if (Array.isArray(tables) && typeof tables[0] === "string") aws.table_name = tables[0];
    const queue = str(take("messaging.destination.name"));
    if (queue !== null) aws.queue_name = queue;
    const requestId = str(take("aws.request_id"));
    if (requestId !== null) aws.request_id = requestId;
  }

  const code = opt.status?.code;
  const failure = spanFailure(code, http?.status ?? null);
  const exceptions = readExceptions(opt.events, opt.kind === "CLIENT", core.name, problem);

  const metadata: Record<string, unknown> = {};
  const rest = Object.fromEntries(Object.entries(attrs).filter(([k]) => !used.has(k)));
  if (Object.keys(rest).length > 0) metadata.attributes = rest;
  if (opt.kind !== undefined) metadata.kind = opt.kind;
  if (name !== core.name) metadata.name = core.name;
  if (opt.status?.message) metadata.status = `${code ?? "UNSET"}: ${opt.status.message}`;
  if (root && Object.keys(resource).length > 0) metadata.resource = resource;
  if (opt.scope?.name) metadata.scope = [opt.scope.name, opt.scope.version].filter(Boolean).join(" ");
  // Shown as their own sections of the span details (span-details.tsx), as X-Ray's `sql` would be.
  if (db !== null) metadata.db = db;
  if (messaging !== null) metadata.messaging = messaging;
  const outbound = opt.kind === "CLIENT" || opt.kind === "PRODUCER";

  return {
    id: core.spanId,
    name,
    kind: root || opt.kind === "SERVER" || opt.kind === "CONSUMER" ? "segment" : "subsegment",
    origin: root ? FUNCTION_ORIGIN : null,
    // X-Ray's namespaces: `aws` for an AWS SDK call, `remote` for any other downstream call (HTTP, a
    // database, a broker).
    namespace: awsApi
      ? "aws"
      : outbound && (http !== null || db !== null || messaging !== null)
        ? "remote"
        : null,
    start: epochMs(core.startUs / 1000),
    // Placeholders: buildSpanTree fills in end, duration and phase.
    end: epochMs(core.startUs / 1000),
    duration: ms(0),
    endMissing: false,
    inProgress: false,
    error: failure.error,
    fault: failure.fault,
    throttle: failure.throttle,
    http,
    aws,
    annotations,
    metadata,
    exceptions,
    causeRef: null,
    resourceArn,
    phase: null,
  };
}

function readHttp(attrs: OtelAttributes, take: (...keys: string[]) => unknown): SpanHttp | null {
  if (!HTTP_KEYS.some((k) => Object.hasOwn(attrs, k))) return null;
  return {
    method: str(take("http.request.method", "http.method")),
    url: str(take("url.full", "http.url")),
    status: int(take("http.response.status_code", "http.status_code")),
  };
}

const scalar = (v: unknown): string | number | null =>
  typeof v === "string" && v !== "" ? v : typeof v === "number" && Number.isFinite(v) ? v : null;

/** The fields of one group the span recorded (consumed, so not repeated in its attributes); null when none. */
function readGroup(
  attrs: OtelAttributes,
  take: (...keys: string[]) => unknown,
  fields: readonly (readonly [string, ...string[]])[],
): Record<string, string | number> | null {
  const out: Record<string, string | number> = {};
  for (const [name, ...keys] of fields) {
    if (!keys.some((k) => Object.hasOwn(attrs, k))) continue;
    const v = scalar(take(...keys));
    if (v !== null) out[name] = v;
  }
  return Object.keys(out).length > 0 ? out : null;
}

/**
 * `cloud.resource_id` (a span or a resource attribute: instrumentations differ), else the function ARN the
 * resource attributes name, qualified by version.
 */
function functionArn(attrs: OtelAttributes, resource: OtelAttributes): string | null {
  const given = str(attrs["cloud.resource_id"]) ?? str(resource["cloud.resource_id"]);
  if (given !== null) return given;
  const region = str(resource["cloud.region"]);
  const account = str(resource["cloud.account.id"]);
  const fn = str(resource["faas.name"]);
  const version = str(resource["faas.version"]);
  if (region === null || account === null || fn === null || version === null) return null;
  return `arn:aws:lambda:${region}:${account}:function:${fn}:${version}`;
}

function readExceptions(
  events: readonly unknown[] | undefined,
  remote: boolean,
  label: string,
  problem: (path: string, message: string) => void,
): SpanException[] {
  const out: SpanException[] = [];
  (events ?? []).forEach((raw, i) => {
    const e = otelEventSchema.safeParse(raw);
    if (!e.success) {
      problem(`events[${i}]`, `"${label}" has an unreadable event: ignored.`);
      return;
    }
    if (e.data.name !== "exception") return;
    const a = copy(e.data.attributes);
    const stack = str(a["exception.stacktrace"]);
    out.push({
      id: null,
      type: str(a["exception.type"]),
      message: str(a["exception.message"]),
      remote,
      stack: stack === null ? [] : parseStacktrace(stack),
    });
  });
  return out;
}

/** Parse and build: the tree, with the Lambda root's "Init" child marked as its Initialization phase. */
export function readOtelTrace(traceId: string, raw: readonly RawSegment[]): OtelTrace {
  const { facts, ...parsed } = parseOtelSpans(traceId, raw);
  const tree = buildSpanTree(traceId, parsed);
  tree.spans.forEach((s, i) => {
    const p = tree.parent[i] as number;
    if (s.name === "Init" && p !== -1 && tree.spans[p]?.origin === FUNCTION_ORIGIN)
      s.phase = "Initialization";
  });
  return { tree, facts };
}

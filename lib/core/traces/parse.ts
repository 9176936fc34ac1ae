/**
 * Reads BatchGetTraces' segment documents (untrusted JSON) into flat spans, each with its parent's id.
 *
 * Invariants:
 * - Total: never throws. A document that is not JSON yields no spans and one problem; a node without a usable
 *   id, name or start time is dropped with a problem and its children are attached to its parent; any other bad
 *   field is dropped with a problem and the rest of the node is kept.
 * - Validation: every field is checked by its hand-written guard (segment-guards.ts) and, when the guard
 *   rejects it, by its zod schema (segment-schema.ts), which decides. Valid values are kept as parsed, never
 *   copied: a span costs one object plus one entry in each column of ParsedTrace.
 * - Iterative: nested subsegments are walked with an explicit stack (a 10,000-deep document cannot overflow).
 * - Times: X-Ray writes epoch seconds with microsecond precision; both ends are rounded to whole microseconds
 *   before subtracting, so `duration` is exact on that grid (an Initialization span lasts exactly the REPORT
 *   line's Init Duration).
 */
import { epochMs, ms, type EpochMs, type Ms } from "../units";
import { coreGuards, isJsonObject, isValidNode, optionalGuards } from "./segment-guards";
import { coreSchemas, exceptionSchema, optionalSchemas, type OptionalFields } from "./segment-schema";
import type { AnnotationValue, RawSegment, Span, SpanException, SpanHttp, TraceProblem } from "./types";

/**
 * The spans as read, in read order, with what only the tree builder needs in parallel columns. `end`,
 * `duration` and `phase` of each span are placeholders: buildSpanTree owns the spans and fills them in.
 */
export interface ParsedTrace {
  spans: Span[];
  parentId: (string | null)[];
  /** X-Ray id of the document each span was read from. */
  segmentId: string[];
  startUs: number[];
  /** NaN when the document gave no usable end. */
  endUs: number[];
  problems: TraceProblem[];
}

interface Pending {
  value: unknown;
  /** The node that holds this one in its `subsegments`, for the problem path; null for a document. */
  holder: Pending | null;
  index: number;
  parentId: string | null;
  kind: Span["kind"];
  segmentId: string;
}

type OptionalField = keyof typeof optionalSchemas;
type CoreField = keyof typeof coreSchemas;

const EMPTY: Readonly<Record<string, never>> = Object.freeze({});
const NO_EXCEPTIONS: readonly SpanException[] = Object.freeze([]);

const toUs = (seconds: number) => Math.round(seconds * 1_000_000);
export const usToMs = (us: number): EpochMs => epochMs(us / 1000);
export const usDuration = (fromUs: number, toUs: number): Ms => ms((toUs - fromUs) / 1000);

const describe = (what: string, v: unknown) =>
  v === undefined ? `has no ${what}` : `has an unreadable ${what} (${JSON.stringify(v)?.slice(0, 40)})`;

/** `subsegments[0].subsegments[2]`: built only when a problem needs it. */
function pathOf(node: Pending): string {
  const parts: string[] = [];
  for (let n: Pending | null = node; n !== null && n.holder !== null; n = n.holder) {
    parts.push(`subsegments[${n.index}]`);
  }
  return parts.reverse().join(".");
}

function report(problems: TraceProblem[], node: Pending, field: string, message: string) {
  const path = pathOf(node);
  problems.push({
    segmentId: node.segmentId,
    path: path === "" ? field : field === "" ? path : `${path}.${field}`,
    message,
  });
}

const coreValid = (field: CoreField, value: unknown) =>
  coreGuards[field](value) || coreSchemas[field].safeParse(value).success;

/** The valid optional fields of a node with some bad field; each bad one is reported and dropped. */
function readOptional(
  v: Record<string, unknown>,
  problems: TraceProblem[],
  node: Pending,
  label: string,
): OptionalFields {
  const out: Record<string, unknown> = {};
  for (const field of Object.keys(optionalSchemas) as OptionalField[]) {
    const value = v[field];
    if (value === undefined) continue;
    if (optionalGuards[field](value) || optionalSchemas[field].safeParse(value).success) out[field] = value;
    else report(problems, node, field, `${label} ${describe(field, value)}: ignored.`);
  }
  return out as OptionalFields;
}

export function parseSegments(raw: readonly RawSegment[]): ParsedTrace {
  const out: ParsedTrace = { spans: [], parentId: [], segmentId: [], startUs: [], endUs: [], problems: [] };
  const problems = out.problems;
  const stack: Pending[] = [];

  for (const segment of raw) {
    let doc: unknown;
    try {
      doc = JSON.parse(segment.document);
    } catch {
      problems.push({
        segmentId: segment.id,
        path: "",
        message: `The document of segment ${segment.id} is not valid JSON (${segment.document.length} characters, cut off or corrupted): nothing in it could be read, including its subsegments.`,
      });
      continue;
    }
    stack.push({
      value: doc,
      holder: null,
      index: -1,
      parentId: null,
      kind: "segment",
      segmentId: segment.id,
    });
    while (stack.length > 0) {
      const node = stack.pop() as Pending;
      const v = node.value;
      if (!isJsonObject(v)) {
        report(problems, node, "", `A ${node.kind} is not a JSON object: skipped.`);
        continue;
      }
      // One pass of the guards for a valid node, which is then read as it is; a node with a bad field is
      // re-read field by field (zod decides), to keep the rest and name the bad one.
      const valid = isValidNode(v);
      const idOk = valid || coreValid("id", v.id);
      const nameOk = valid || coreValid("name", v.name);
      const startOk = valid || coreValid("start_time", v.start_time);
      const label = nameOk ? `"${v.name as string}"` : `A ${node.kind}`;
      const o: OptionalFields = valid ? (v as OptionalFields) : readOptional(v, problems, node, label);
      const children = o.subsegments;

      if (!idOk || !nameOk || !startOk) {
        const missing = [!idOk && "id", !nameOk && "name", !startOk && "start_time"]
          .filter(Boolean)
          .join(", ");
        report(
          problems,
          node,
          "",
          `${label} has no usable ${missing}: it is not shown; its subsegments move up a level.`,
        );
        pushChildren(stack, children, node, node.parentId);
        continue;
      }
      const id = v.id as string;
      const startUs = toUs(v.start_time as number);
      let endUs = o.end_time !== undefined ? toUs(o.end_time) : NaN;
      if (endUs < startUs) {
        report(problems, node, "end_time", `${label} ends before it starts: its end is unknown.`);
        endUs = NaN;
      }
      const endMissing = Number.isNaN(endUs);
      const inProgress = endMissing && o.in_progress === true;
      // A present-but-bad end_time was reported above; only a missing one is reported here.
      if (endMissing && !inProgress && v.end_time === undefined) {
        report(
          problems,
          node,
          "end_time",
          `${label} has no end_time and is not in progress: its end is taken from its parent.`,
        );
      }
      const start = usToMs(startUs);
      out.spans.push({
        id,
        name: v.name as string,
        kind: node.kind,
        origin: o.origin ?? null,
        namespace: o.namespace ?? null,
        start,
        end: start,
        duration: ms(0),
        endMissing,
        inProgress,
        error: o.error === true,
        fault: o.fault === true,
        throttle: o.throttle === true,
        http: readHttp(o.http),
        aws: o.aws ?? EMPTY,
        annotations: (o.annotations as Record<string, AnnotationValue> | undefined) ?? EMPTY,
        metadata: o.metadata ?? EMPTY,
        exceptions:
          typeof o.cause === "object" && o.cause.exceptions !== undefined && o.cause.exceptions.length > 0
            ? readExceptions(o.cause.exceptions, problems, node, label)
            : NO_EXCEPTIONS,
        causeRef: typeof o.cause === "string" ? o.cause : null,
        resourceArn: o.resource_arn ?? null,
        phase: null,
      });
      out.parentId.push(node.kind === "segment" ? (o.parent_id ?? null) : node.parentId);
      out.segmentId.push(node.segmentId);
      out.startUs.push(startUs);
      out.endUs.push(endUs);
      pushChildren(stack, children, node, id);
    }
  }
  return out;
}

function pushChildren(
  stack: Pending[],
  children: readonly unknown[] | undefined,
  holder: Pending,
  parentId: string | null,
) {
  if (children === undefined) return;
  // Reverse so they pop in document order (the tree re-sorts siblings anyway; this keeps problems in order).
  for (let i = children.length - 1; i >= 0; i--) {
    stack.push({
      value: children[i],
      holder,
      index: i,
      parentId,
      kind: "subsegment",
      segmentId: holder.segmentId,
    });
  }
}

function readHttp(http: OptionalFields["http"]): SpanHttp | null {
  if (http === undefined) return null;
  return {
    method: http.request?.method ?? null,
    url: http.request?.url ?? null,
    status: http.response?.status ?? null,
  };
}

// Exceptions are rare (failing spans only): zod reads them directly.
function readExceptions(
  raw: readonly unknown[],
  problems: TraceProblem[],
  node: Pending,
  label: string,
): SpanException[] {
  const out: SpanException[] = [];
  raw.forEach((e, i) => {
    const r = exceptionSchema.safeParse(e);
    if (!r.success) {
      report(problems, node, `cause.exceptions[${i}]`, `${label} has an unreadable exception: ignored.`);
      return;
    }
    out.push({
      id: r.data.id ?? null,
      type: r.data.type ?? null,
      message: r.data.message ?? null,
      remote: r.data.remote === true,
      stack: (r.data.stack ?? []).map((f) => ({
        path: f.path ?? null,
        line: f.line ?? null,
        label: f.label ?? null,
      })),
    });
  });
  return out;
}

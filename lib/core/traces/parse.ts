/**
 * Reads BatchGetTraces' segment documents (untrusted JSON) into flat spans, each with its parent's id.
 *
 * Invariants:
 * - Total: never throws. A document that is not JSON yields no spans and one problem; a node without a usable
 *   id, name or start time is dropped with a problem and its children are attached to its parent; any other bad
 *   field is dropped with a problem and the rest of the node is kept.
 * - Iterative: nested subsegments are walked with an explicit stack (a 10,000-deep document cannot overflow).
 * - Times: X-Ray writes epoch seconds with microsecond precision; both ends are rounded to whole microseconds
 *   before subtracting, so `duration` is exact on that grid (an Initialization span lasts exactly the REPORT
 *   line's Init Duration).
 */
import { epochMs, ms, type EpochMs, type Ms } from "../units";
import {
  coreSchemas,
  exceptionSchema,
  nodeSchema,
  optionalSchemas,
  type OptionalFields,
} from "./segment-schema";
import type { AnnotationValue, RawSegment, Span, SpanException, SpanHttp, TraceProblem } from "./types";

/** A span as read, before the tree is built: `end` is null when the document gave none. */
export interface ParsedSpan extends Omit<Span, "end" | "duration" | "phase"> {
  parentId: string | null;
  /** X-Ray id of the document the span was read from. */
  segmentId: string;
  startUs: number;
  endUs: number | null;
}

export interface ParsedTrace {
  spans: ParsedSpan[];
  problems: TraceProblem[];
}

interface Pending {
  value: unknown;
  path: string;
  parentId: string | null;
  kind: Span["kind"];
  segmentId: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const toUs = (seconds: number) => Math.round(seconds * 1_000_000);
export const usToMs = (us: number): EpochMs => epochMs(us / 1000);
export const usDuration = (fromUs: number, toUs: number): Ms => ms((toUs - fromUs) / 1000);

const describe = (what: string, v: unknown) =>
  v === undefined ? `has no ${what}` : `has an unreadable ${what} (${JSON.stringify(v)?.slice(0, 40)})`;

export function parseSegments(raw: readonly RawSegment[]): ParsedTrace {
  const spans: ParsedSpan[] = [];
  const problems: TraceProblem[] = [];

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
    const stack: Pending[] = [
      { value: doc, path: "", parentId: null, kind: "segment", segmentId: segment.id },
    ];
    while (stack.length > 0) {
      const node = stack.pop() as Pending;
      const problem = (field: string, message: string) =>
        problems.push({
          segmentId: node.segmentId,
          path: [node.path, field].filter((x) => x !== "").join("."),
          message,
        });
      if (!isObject(node.value)) {
        problem("", `A ${node.kind} is not a JSON object: skipped.`);
        continue;
      }
      const v = node.value;
      // One parse for a valid node; a node with a bad field is re-read field by field to keep the rest.
      const whole = nodeSchema.safeParse(v);
      const id = whole.success
        ? { success: true as const, data: whole.data.id }
        : coreSchemas.id.safeParse(v.id);
      const name = whole.success
        ? { success: true as const, data: whole.data.name }
        : coreSchemas.name.safeParse(v.name);
      const start = whole.success
        ? { success: true as const, data: whole.data.start_time }
        : coreSchemas.start_time.safeParse(v.start_time);
      const label = name.success ? `"${name.data}"` : `A ${node.kind}`;
      const opt: OptionalFields = whole.success
        ? whole.data
        : readOptional(v, (field, value) => problem(field, `${label} ${describe(field, value)}: ignored.`));
      const children = opt.subsegments ?? [];
      const childPath = (i: number) => `${node.path === "" ? "" : `${node.path}.`}subsegments[${i}]`;

      if (!id.success || !name.success || !start.success) {
        const missing = [!id.success && "id", !name.success && "name", !start.success && "start_time"]
          .filter(Boolean)
          .join(", ");
        problem("", `${label} has no usable ${missing}: it is not shown; its subsegments move up a level.`);
        pushChildren(stack, children, childPath, node.parentId, node.segmentId);
        continue;
      }

      const startUs = toUs(start.data);
      let endUs: number | null = opt.end_time !== undefined ? toUs(opt.end_time) : null;
      if (endUs !== null && endUs < startUs) {
        problem("end_time", `${label} ends before it starts: its end is unknown.`);
        endUs = null;
      }
      const inProgress = endUs === null && opt.in_progress === true;
      // A present-but-bad end_time was reported above; only a missing one is reported here.
      if (endUs === null && !inProgress && v.end_time === undefined) {
        problem(
          "end_time",
          `${label} has no end_time and is not in progress: its end is taken from its parent.`,
        );
      }

      const parentId = node.kind === "segment" ? (opt.parent_id ?? null) : node.parentId;
      const cause = opt.cause;
      spans.push({
        id: id.data,
        name: name.data,
        kind: node.kind,
        parentId,
        segmentId: node.segmentId,
        origin: opt.origin ?? null,
        namespace: opt.namespace ?? null,
        startUs,
        endUs,
        start: usToMs(startUs),
        endMissing: endUs === null,
        inProgress,
        error: opt.error === true,
        fault: opt.fault === true,
        throttle: opt.throttle === true,
        http: readHttp(opt.http),
        aws: opt.aws ?? {},
        annotations: (opt.annotations ?? {}) as Record<string, AnnotationValue>,
        metadata: opt.metadata ?? {},
        exceptions:
          typeof cause === "object"
            ? readExceptions(cause.exceptions ?? [], (i) =>
                problem(`cause.exceptions[${i}]`, `${label} has an unreadable exception: ignored.`),
              )
            : [],
        causeRef: typeof cause === "string" ? cause : null,
        resourceArn: opt.resource_arn ?? null,
      });
      pushChildren(stack, children, childPath, id.data, node.segmentId);
    }
  }
  return { spans, problems };
}

function pushChildren(
  stack: Pending[],
  children: readonly unknown[],
  path: (i: number) => string,
  parentId: string | null,
  segmentId: string,
) {
  // Reverse so they pop in document order (the tree re-sorts siblings anyway; this keeps problems in order).
  for (let i = children.length - 1; i >= 0; i--) {
    stack.push({ value: children[i], path: path(i), parentId, kind: "subsegment", segmentId });
  }
}

function readOptional(
  v: Record<string, unknown>,
  onProblem: (field: string, value: unknown) => void,
): OptionalFields {
  const out: Record<string, unknown> = {};
  for (const [field, schema] of Object.entries(optionalSchemas)) {
    const value = v[field];
    if (value === undefined) continue;
    const r = schema.safeParse(value);
    if (r.success) out[field] = r.data;
    else onProblem(field, value);
  }
  return out as OptionalFields;
}

function readHttp(http: OptionalFields["http"]): SpanHttp | null {
  if (http === undefined) return null;
  return {
    method: http.request?.method ?? null,
    url: http.request?.url ?? null,
    status: http.response?.status ?? null,
  };
}

function readExceptions(raw: readonly unknown[], onProblem: (index: number) => void): SpanException[] {
  const out: SpanException[] = [];
  raw.forEach((e, i) => {
    const r = exceptionSchema.safeParse(e);
    if (!r.success) return onProblem(i);
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

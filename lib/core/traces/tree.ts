/**
 * Builds the span tree from parsed spans: segments hang under their `parent_id`, subsegments under the node that
 * contains them, and the result is flattened in depth-first display order.
 *
 * Invariants:
 * - Iterative walks only (explicit stacks), linear in spans apart from sorting siblings.
 * - Every parsed span appears exactly once. A parent id that names no span makes a root (the caller was not
 *   traced); duplicate ids are renamed and spans caught in a parent cycle become roots, each with a problem.
 * - Siblings are ordered by start time, then by the order they were read, so the output is deterministic.
 * - A span without an end borrows its parent's end (a root: its latest descendant's end), never before its start.
 */
import { epochMs } from "../units";
import { parseSegments, usDuration, usToMs, type ParsedSpan } from "./parse";
import type { LambdaPhase, RawSegment, Span, SpanTree, TraceProblem } from "./types";

const PHASES: ReadonlySet<string> = new Set<LambdaPhase>(["Initialization", "Invocation", "Overhead"]);
export const FUNCTION_ORIGIN = "AWS::Lambda::Function";
export const SERVICE_ORIGIN = "AWS::Lambda";

/** Parse and build in one step: the usual entry point. */
export function readTrace(traceId: string, segments: readonly RawSegment[]): SpanTree {
  const parsed = parseSegments(segments);
  return buildSpanTree(traceId, parsed.spans, parsed.problems);
}

export function buildSpanTree(
  traceId: string,
  input: readonly ParsedSpan[],
  parseProblems: readonly TraceProblem[] = [],
): SpanTree {
  const problems = [...parseProblems];
  const n = input.length;
  const ids = new Array<string>(n);
  const byId = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const s = input[i] as ParsedSpan;
    let id = s.id;
    if (byId.has(id)) {
      id = `${s.id}#${i}`;
      problems.push({
        segmentId: s.segmentId,
        path: "id",
        message: `Two spans share the id ${s.id}: the second is shown as ${id}.`,
      });
    }
    ids[i] = id;
    byId.set(id, i);
  }

  const parentOf = new Int32Array(n).fill(-1);
  const kids: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    const p = input[i]?.parentId;
    const pi = p === null || p === undefined ? undefined : byId.get(p);
    if (pi !== undefined && pi !== i) parentOf[i] = pi;
  }
  const byStart = (a: number, b: number) =>
    (input[a] as ParsedSpan).startUs - (input[b] as ParsedSpan).startUs || a - b;

  // Depth-first order from the roots; spans never reached sit in a parent cycle and become roots.
  const order: number[] = [];
  const reached = new Uint8Array(n);
  const walk = (roots: number[]) => {
    const stack = roots.sort(byStart).reverse();
    while (stack.length > 0) {
      const i = stack.pop() as number;
      if (reached[i]) continue;
      reached[i] = 1;
      order.push(i);
      const c = kids[i] as number[];
      c.sort(byStart);
      for (let k = c.length - 1; k >= 0; k--) stack.push(c[k] as number);
    }
  };
  for (let i = 0; i < n; i++) if (parentOf[i] !== -1) kids[parentOf[i] as number]?.push(i);
  walk(Array.from({ length: n }, (_, i) => i).filter((i) => parentOf[i] === -1));
  if (order.length < n) {
    for (let i = 0; i < n; i++) {
      if (reached[i]) continue;
      const s = input[i] as ParsedSpan;
      problems.push({
        segmentId: s.segmentId,
        path: "parent_id",
        message: `"${s.name}" is part of a parent cycle: shown as a root.`,
      });
      const p = parentOf[i] as number;
      if (p !== -1) kids[p] = (kids[p] as number[]).filter((k) => k !== i);
      parentOf[i] = -1;
      walk([i]);
    }
  }

  // Latest known end under each span (bottom-up), then resolve missing ends top-down.
  const subtreeEnd = new Float64Array(n);
  for (let k = n - 1; k >= 0; k--) {
    const i = order[k] as number;
    const s = input[i] as ParsedSpan;
    const own = s.endUs ?? s.startUs;
    subtreeEnd[i] = Math.max(subtreeEnd[i] as number, own);
    const p = parentOf[i] as number;
    if (p !== -1) subtreeEnd[p] = Math.max(subtreeEnd[p] as number, subtreeEnd[i] as number);
  }
  const endUs = new Float64Array(n);
  for (const i of order) {
    const s = input[i] as ParsedSpan;
    const p = parentOf[i] as number;
    endUs[i] = s.endUs ?? Math.max(s.startUs, p !== -1 ? (endUs[p] as number) : (subtreeEnd[i] as number));
  }

  // Re-index in display order.
  const position = new Int32Array(n);
  order.forEach((i, k) => (position[i] = k));
  const spans: Span[] = new Array<Span>(n);
  const parent = new Int32Array(n);
  const depth = new Int32Array(n);
  const children: number[][] = new Array<number[]>(n);
  let minUs = Infinity;
  let maxUs = -Infinity;
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    const s = input[i] as ParsedSpan;
    const p = parentOf[i] as number;
    const pk = p === -1 ? -1 : (position[p] as number);
    parent[k] = pk;
    depth[k] = pk === -1 ? 0 : (depth[pk] as number) + 1;
    children[k] = (kids[i] as number[]).map((c) => position[c] as number);
    const e = endUs[i] as number;
    minUs = Math.min(minUs, s.startUs);
    maxUs = Math.max(maxUs, e);
    const parentSpan = pk === -1 ? null : (spans[pk] as Span);
    const phase =
      s.kind === "subsegment" && parentSpan?.origin === FUNCTION_ORIGIN && PHASES.has(s.name)
        ? (s.name as LambdaPhase)
        : null;
    spans[k] = {
      id: ids[i] as string,
      name: s.name,
      kind: s.kind,
      origin: s.origin,
      namespace: s.namespace,
      start: s.start,
      end: usToMs(e),
      duration: usDuration(s.startUs, e),
      endMissing: s.endMissing,
      inProgress: s.inProgress,
      error: s.error,
      fault: s.fault,
      throttle: s.throttle,
      http: s.http,
      aws: s.aws,
      annotations: s.annotations,
      metadata: s.metadata,
      exceptions: s.exceptions,
      causeRef: s.causeRef,
      resourceArn: s.resourceArn,
      phase,
    };
  }
  return {
    traceId,
    spans,
    parent,
    depth,
    children,
    start: n === 0 ? epochMs(0) : usToMs(minUs),
    end: n === 0 ? epochMs(0) : usToMs(maxUs),
    problems,
  };
}

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
 * - Allocation: the parsed span objects are reused (their id, end, duration and phase are filled in here), and
 *   a leaf shares one empty children list, so a trace costs a handful of arrays beyond its spans.
 */
import { epochMs } from "../units";
import { parseSegments, usDuration, usToMs, type ParsedTrace } from "./parse";
import type { LambdaPhase, RawSegment, Span, SpanTree, TraceProblem } from "./types";

const PHASES: ReadonlySet<string> = new Set<LambdaPhase>(["Initialization", "Invocation", "Overhead"]);
export const FUNCTION_ORIGIN = "AWS::Lambda::Function";
export const SERVICE_ORIGIN = "AWS::Lambda";
const NO_CHILDREN: readonly number[] = Object.freeze([]);

/** Parse and build in one step: the usual entry point. */
export function readTrace(traceId: string, segments: readonly RawSegment[]): SpanTree {
  return buildSpanTree(traceId, parseSegments(segments));
}

/** Takes ownership of `parsed`: its span objects become the tree's. */
export function buildSpanTree(traceId: string, parsed: ParsedTrace): SpanTree {
  const { spans: input, startUs, endUs: readEndUs } = parsed;
  const problems: TraceProblem[] = [...parsed.problems];
  const n = input.length;
  const byId = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const s = input[i] as Span;
    if (byId.has(s.id)) {
      const renamed = `${s.id}#${i}`;
      problems.push({
        segmentId: parsed.segmentId[i] as string,
        path: "id",
        message: `Two spans share the id ${s.id}: the second is shown as ${renamed}.`,
      });
      s.id = renamed;
    }
    byId.set(s.id, i);
  }

  const parentOf = new Int32Array(n).fill(-1);
  const childCount = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const p = parsed.parentId[i];
    const pi = p === null || p === undefined ? undefined : byId.get(p);
    if (pi !== undefined && pi !== i) {
      parentOf[i] = pi;
      childCount[pi] = (childCount[pi] as number) + 1;
    }
  }
  const kids: (readonly number[])[] = new Array<readonly number[]>(n);
  for (let i = 0; i < n; i++) kids[i] = childCount[i] === 0 ? NO_CHILDREN : [];
  for (let i = 0; i < n; i++) {
    const p = parentOf[i] as number;
    if (p !== -1) (kids[p] as number[]).push(i);
  }
  const byStart = (a: number, b: number) => (startUs[a] as number) - (startUs[b] as number) || a - b;

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
      if (c.length > 1) c.sort(byStart);
      for (let k = c.length - 1; k >= 0; k--) stack.push(c[k] as number);
    }
  };
  const roots: number[] = [];
  for (let i = 0; i < n; i++) if (parentOf[i] === -1) roots.push(i);
  walk(roots);
  if (order.length < n) {
    for (let i = 0; i < n; i++) {
      if (reached[i]) continue;
      problems.push({
        segmentId: parsed.segmentId[i] as string,
        path: "parent_id",
        message: `"${(input[i] as Span).name}" is part of a parent cycle: shown as a root.`,
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
    const e = readEndUs[i] as number;
    const own = Number.isNaN(e) ? (startUs[i] as number) : e;
    subtreeEnd[i] = Math.max(subtreeEnd[i] as number, own);
    const p = parentOf[i] as number;
    if (p !== -1) subtreeEnd[p] = Math.max(subtreeEnd[p] as number, subtreeEnd[i] as number);
  }
  const endUs = new Float64Array(n);
  for (const i of order) {
    const e = readEndUs[i] as number;
    const p = parentOf[i] as number;
    endUs[i] = Number.isNaN(e)
      ? Math.max(startUs[i] as number, p !== -1 ? (endUs[p] as number) : (subtreeEnd[i] as number))
      : e;
  }

  // Re-index in display order, filling in each span's end, duration and phase.
  const position = new Int32Array(n);
  for (let k = 0; k < n; k++) position[order[k] as number] = k;
  const spans: Span[] = new Array<Span>(n);
  const parent = new Int32Array(n);
  const depth = new Int32Array(n);
  const children: (readonly number[])[] = new Array<readonly number[]>(n);
  let minUs = Infinity;
  let maxUs = -Infinity;
  for (let k = 0; k < n; k++) {
    const i = order[k] as number;
    const s = input[i] as Span;
    const p = parentOf[i] as number;
    const pk = p === -1 ? -1 : (position[p] as number);
    parent[k] = pk;
    depth[k] = pk === -1 ? 0 : (depth[pk] as number) + 1;
    const c = kids[i] as number[];
    for (let j = 0; j < c.length; j++) c[j] = position[c[j] as number] as number;
    children[k] = c;
    const a = startUs[i] as number;
    const e = endUs[i] as number;
    if (a < minUs) minUs = a;
    if (e > maxUs) maxUs = e;
    s.end = usToMs(e);
    s.duration = usDuration(a, e);
    const parentSpan = pk === -1 ? null : (spans[pk] as Span);
    s.phase =
      s.kind === "subsegment" && parentSpan?.origin === FUNCTION_ORIGIN && PHASES.has(s.name)
        ? (s.name as LambdaPhase)
        : null;
    spans[k] = s;
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

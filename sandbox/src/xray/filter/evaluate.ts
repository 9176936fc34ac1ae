/**
 * Evaluates a parsed filter against a trace's indexed facts.
 *
 * Semantics (as X-Ray documents them, for the keywords we support):
 * - At trace level, `error`/`fault`/`throttle` are true when any segment in the trace has the flag; `ok` when
 *   none has any; `responsetime` is the entry segment's response time and `duration` the whole trace's, in
 *   seconds; `http.*` read the entry segment (Lambda's service segment carries only a status).
 * - `service(sel) { body }` holds when some node matching `sel` satisfies `body` evaluated on that node
 *   (its own flags, response time and http fields); `service(sel)` alone holds when the trace has such a node.
 *   `edge(a, b) { body }` likewise over edges a → b, evaluated on the callee b.
 * - `inferred`: the trace has an inferred node (a downstream call recorded as an aws/remote subsegment); in a body,
 *   the node is one. `root`: the node is the entry point (bodies only). `resource.arn`: any segment's ARN.
 * - `fault = false` is `!fault`; a bare string keyword or annotation is true when the field is set.
 * - Annotations are typed: `annotation.version = 7` does not match the string "7"; a missing annotation makes
 *   every comparison false, `!=` included.
 */
import type { AnnotationValue } from "../documents";
import type { NodeFacts, TraceFacts } from "../facts";
import type { CompareOp, FilterExpr, ServiceSelector, StringKeyword, StringOp } from "./ast";

interface Scope {
  trace: TraceFacts;
  /** Set inside service()/edge() bodies. */
  node: NodeFacts | null;
}

export function matchesFilter(expr: FilterExpr, trace: TraceFacts): boolean {
  return evaluate(expr, { trace, node: null });
}

function evaluate(expr: FilterExpr, scope: Scope): boolean {
  const { trace, node } = scope;
  switch (expr.kind) {
    case "and":
      return evaluate(expr.left, scope) && evaluate(expr.right, scope);
    case "or":
      return evaluate(expr.left, scope) || evaluate(expr.right, scope);
    case "not":
      return !evaluate(expr.expr, scope);
    case "bool": {
      if (expr.keyword === "partial") return trace.partial;
      if (expr.keyword === "root") return node === trace.entry;
      if (expr.keyword === "inferred") return node ? node.inferred : trace.nodes.some((n) => n.inferred);
      const subject = node ?? trace;
      if (expr.keyword === "ok") return !subject.error && !subject.fault && !subject.throttle;
      return subject[expr.keyword];
    }
    case "number": {
      const value =
        expr.keyword === "http.status"
          ? (node ?? trace.entry).httpStatus
          : node
            ? node.end - node.start
            : expr.keyword === "duration"
              ? trace.duration
              : trace.responseTime;
      return value !== undefined && compare(value, expr.op, expr.value);
    }
    case "string":
      return stringValues(expr.keyword, scope).some((v) => compareString(v, expr.op, expr.value));
    case "present":
      return stringValues(expr.keyword, scope).length > 0;
    case "annotationPresent":
      return trace.annotations[expr.key] !== undefined;
    case "annotation":
      return compareAnnotation(trace.annotations[expr.key], expr.op, expr.value);
    case "service":
      return trace.nodes.some(
        (n) => selects(expr.selector, n) && (expr.body === null || evaluate(expr.body, { trace, node: n })),
      );
    case "edge":
      return trace.edges.some(
        (e) =>
          e.from !== null &&
          selects(expr.from, e.from) &&
          selects(expr.to, e.to) &&
          (expr.body === null || evaluate(expr.body, { trace, node: e.to })),
      );
  }
}

/** The values a string keyword has in scope; `resource.arn` is any segment's ARN in the trace. */
function stringValues(keyword: StringKeyword, { trace, node }: Scope): string[] {
  if (keyword === "resource.arn") return trace.resourceArns;
  const subject = node ?? trace.entry;
  const value = keyword === "http.url" ? subject.httpUrl : subject.httpMethod;
  return value === undefined ? [] : [value];
}

function selects(sel: ServiceSelector, node: NodeFacts): boolean {
  return (sel.name === null || sel.name === node.name) && (sel.type === null || sel.type === node.type);
}

function compare(a: number, op: CompareOp, b: number): boolean {
  switch (op) {
    case "=":
      return a === b;
    case "!=":
      return a !== b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
  }
}

function compareString(a: string, op: StringOp, b: string): boolean {
  switch (op) {
    case "=":
      return a === b;
    case "!=":
      return a !== b;
    case "CONTAINS":
      return a.includes(b);
    case "BEGINSWITH":
      return a.startsWith(b);
    case "ENDSWITH":
      return a.endsWith(b);
  }
}

function compareAnnotation(
  actual: AnnotationValue | undefined,
  op: CompareOp | StringOp,
  expected: AnnotationValue,
): boolean {
  if (actual === undefined || typeof actual !== typeof expected) return false;
  if (typeof actual === "number" && typeof expected === "number") {
    return op === "CONTAINS" || op === "BEGINSWITH" || op === "ENDSWITH"
      ? false
      : compare(actual, op, expected);
  }
  if (typeof actual === "string" && typeof expected === "string") {
    return op === "<" || op === "<=" || op === ">" || op === ">="
      ? false
      : compareString(actual, op, expected);
  }
  return op === "=" ? actual === expected : op === "!=" ? actual !== expected : false;
}

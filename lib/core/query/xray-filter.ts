/**
 * X-Ray filter expressions (GetTraceSummaries `FilterExpression`).
 *
 * Invariants:
 * - Strings are double-quoted. X-Ray documents no escape sequence inside a string literal, so no escaping can be
 *   trusted to keep a value inside its quotes: `xrayString` rejects `"`, `\` and control characters instead of
 *   escaping them. Any other text (spaces, `|`, `AND`, parentheses, unicode) is safe inside the quotes.
 * - Annotation keys match `[A-Za-z0-9_]+` (the X-Ray SDK's own rule for annotation keys).
 * - error / fault / throttle flags are ORed together (a trace is rarely both); all other clauses are joined with
 *   AND, in a fixed order, so equal filters build identical strings (and cache keys).
 * Syntax: https://docs.aws.amazon.com/xray/latest/devguide/xray-console-filters.html
 */
import { invalidInput } from "../errors";
import type { ServiceRef } from "../traces/service-graph";
import { assertSafeText } from "./literal-safety";

export function xrayString(value: string): string {
  assertSafeText(value, "A trace filter value");
  if (/["\\\t\n]/.test(value)) {
    throw invalidInput(
      "A trace filter value cannot contain double quotes, backslashes, tabs or line breaks.",
    );
  }
  return `"${value}"`;
}

const ANNOTATION_KEY = /^[A-Za-z0-9_]+$/;

export function xrayAnnotationKey(key: string): string {
  if (!ANNOTATION_KEY.test(key)) {
    throw invalidInput(`"${key.slice(0, 40)}" is not a valid annotation key (letters, digits and _ only).`);
  }
  return key;
}

const xrayValue = (value: string | number | boolean): string => {
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw invalidInput("An annotation number must be finite.");
    return String(value);
  }
  return xrayString(value);
};

/**
 * `id(name: "orders-api", type: "AWS::Lambda::Function")`: a service map node by name and type, since a Lambda
 * function is two nodes of one name (`AWS::Lambda` and `AWS::Lambda::Function`).
 */
export function xrayServiceId(ref: ServiceRef): string {
  return `id(name: ${xrayString(ref.name)}, type: ${xrayString(ref.type)})`;
}

/** `edge(id(…), id(…))`: traces with a call from `from` to `to` (a service map edge). */
export const buildEdgeFilter = (from: ServiceRef, to: ServiceRef): string =>
  `edge(${xrayServiceId(from)}, ${xrayServiceId(to)})`;

export interface TraceFilter {
  /** The service (segment) name; for Lambda, the function name. */
  service?: string;
  /** One service map node, by name and type. */
  node?: ServiceRef;
  /** One service map edge: traces with a call from → to. */
  edge?: { from: ServiceRef; to: ServiceRef };
  /** 4xx client errors. */
  errors?: boolean;
  /** 5xx faults. */
  faults?: boolean;
  /** 429 throttles. */
  throttles?: boolean;
  /** Via the `coldStart` annotation the console's instrumentation (and the sandbox) writes on function segments. */
  coldStart?: boolean;
  /** Response time above this many seconds. */
  minDurationS?: number;
  annotations?: Readonly<Record<string, string | number | boolean>>;
}

/** e.g. `service("orders-api") AND fault AND responsetime > 1.5 AND annotation.coldStart = true`; "" for none. */
export function buildTraceFilter(filter: TraceFilter): string {
  const clauses: string[] = [];
  if (filter.service !== undefined) clauses.push(`service(${xrayString(filter.service)})`);
  if (filter.node !== undefined) clauses.push(`service(${xrayServiceId(filter.node)})`);
  if (filter.edge !== undefined) clauses.push(buildEdgeFilter(filter.edge.from, filter.edge.to));
  // Ticking several of error / fault / throttle means "any of them": no trace is both a 4xx and a 5xx.
  const statuses = [
    filter.errors === true ? "error" : null,
    filter.faults === true ? "fault" : null,
    filter.throttles === true ? "throttle" : null,
  ].filter((s): s is string => s !== null);
  if (statuses.length === 1) clauses.push(statuses[0] as string);
  if (statuses.length > 1) clauses.push(`(${statuses.join(" OR ")})`);
  if (filter.minDurationS !== undefined) {
    if (!Number.isFinite(filter.minDurationS) || filter.minDurationS < 0) {
      throw invalidInput("The minimum duration must be a non-negative number of seconds.");
    }
    clauses.push(`responsetime > ${filter.minDurationS}`);
  }
  if (filter.coldStart !== undefined) clauses.push(`annotation.coldStart = ${filter.coldStart}`);
  const annotations = Object.entries(filter.annotations ?? {}).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  for (const [key, value] of annotations) {
    clauses.push(`annotation.${xrayAnnotationKey(key)} = ${xrayValue(value)}`);
  }
  return clauses.join(" AND ");
}

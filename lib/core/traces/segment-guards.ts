/**
 * Hand-written mirrors of the zod schemas in segment-schema.ts: the parser's fast path for a trace's many
 * valid nodes. Running zod per node allocated a validated copy of every document and dominated the cost of
 * opening a large trace; these guards allocate nothing and hand back the value as it was parsed.
 *
 * Invariant: a guard accepts a value only if its zod schema accepts it (test/unit/core/traces/segment-guards.test.ts
 * checks every field against a table of edge cases). A guard may reject more than zod: the parser then asks the
 * zod schema, which stays the authority on shapes and on what counts as a problem.
 */
import type { coreSchemas, optionalSchemas } from "./segment-schema";

type Guard = (v: unknown) => boolean;

/** A JSON object (not an array, not null, no exotic prototype): what zod's `z.object` / `z.record` accept. */
export const isJsonObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

const isString: Guard = (v) => typeof v === "string";
const isNonEmptyString: Guard = (v) => typeof v === "string" && v.length > 0;
const isBoolean: Guard = (v) => typeof v === "boolean";
const isTime: Guard = (v) => typeof v === "number" && Number.isFinite(v) && v >= 0;
const optional =
  (g: Guard): Guard =>
  (v) =>
    v === undefined || g(v);
const optionalString = optional(isString);

const isAnnotationValue: Guard = (v) =>
  typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));

const isHttp: Guard = (v) => {
  if (!isJsonObject(v)) return false;
  const { request, response } = v;
  if (request !== undefined) {
    if (!isJsonObject(request) || !optionalString(request.method) || !optionalString(request.url))
      return false;
  }
  if (response !== undefined) {
    if (!isJsonObject(response)) return false;
    const status = response.status;
    if (status !== undefined && !Number.isSafeInteger(status)) return false;
  }
  return true;
};

const isAnnotations: Guard = (v) => {
  if (!isJsonObject(v)) return false;
  for (const key in v) if (!isAnnotationValue(v[key])) return false;
  return true;
};

const isCause: Guard = (v) =>
  isNonEmptyString(v) || (isJsonObject(v) && (v.exceptions === undefined || Array.isArray(v.exceptions)));

export const coreGuards: { readonly [K in keyof typeof coreSchemas]: Guard } = {
  id: (v) => typeof v === "string" && v.length >= 1 && v.length <= 64,
  name: (v) => typeof v === "string" && v.length <= 250,
  start_time: isTime,
};

export const optionalGuards: { readonly [K in keyof typeof optionalSchemas]: Guard } = {
  end_time: isTime,
  in_progress: isBoolean,
  parent_id: isNonEmptyString,
  trace_id: isNonEmptyString,
  origin: isString,
  namespace: isString,
  resource_arn: isString,
  error: isBoolean,
  fault: isBoolean,
  throttle: isBoolean,
  http: isHttp,
  aws: isJsonObject,
  annotations: isAnnotations,
  metadata: isJsonObject,
  cause: isCause,
  subsegments: Array.isArray,
};

const present = (g: Guard, v: unknown) => v === undefined || g(v);

/**
 * Every field of a node valid at once (the usual case): the node can then be read as it is. Spelled out field by
 * field, not looped over keys, because this runs once per span and named reads are what engines optimise.
 */
export function isValidNode(v: Record<string, unknown>): boolean {
  const g = optionalGuards;
  return (
    coreGuards.id(v.id) &&
    coreGuards.name(v.name) &&
    coreGuards.start_time(v.start_time) &&
    present(g.end_time, v.end_time) &&
    present(g.in_progress, v.in_progress) &&
    present(g.parent_id, v.parent_id) &&
    present(g.trace_id, v.trace_id) &&
    present(g.origin, v.origin) &&
    present(g.namespace, v.namespace) &&
    present(g.resource_arn, v.resource_arn) &&
    present(g.error, v.error) &&
    present(g.fault, v.fault) &&
    present(g.throttle, v.throttle) &&
    present(g.http, v.http) &&
    present(g.aws, v.aws) &&
    present(g.annotations, v.annotations) &&
    present(g.metadata, v.metadata) &&
    present(g.cause, v.cause) &&
    present(g.subsegments, v.subsegments)
  );
}

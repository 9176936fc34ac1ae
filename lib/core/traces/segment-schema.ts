/**
 * zod schemas for X-Ray segment documents, one per field, so a document with one bad field still yields every
 * other field (what could be read) plus a problem naming the bad one. They are the authority on shapes; the
 * parser's fast path runs their hand-written mirrors (segment-guards.ts) first. Shapes follow
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-api-segmentdocuments.html; unknown fields are ignored.
 */
import { z } from "zod";

const finite = z.number().finite();

export const coreSchemas = {
  id: z.string().min(1).max(64),
  name: z.string().max(250),
  start_time: finite.nonnegative(),
} as const;

const stackFrame = z.object({
  path: z.string().optional(),
  line: z.number().int().optional(),
  label: z.string().optional(),
});

export const exceptionSchema = z.object({
  id: z.string().optional(),
  type: z.string().optional(),
  message: z.string().optional(),
  remote: z.boolean().optional(),
  stack: z.array(stackFrame).optional(),
});

const annotationValue = z.union([z.string(), finite, z.boolean()]);

/** Optional fields: each is parsed on its own; an invalid one is dropped with a problem. */
export const optionalSchemas = {
  end_time: finite.nonnegative(),
  in_progress: z.boolean(),
  parent_id: z.string().min(1),
  trace_id: z.string().min(1),
  origin: z.string(),
  namespace: z.string(),
  resource_arn: z.string(),
  error: z.boolean(),
  fault: z.boolean(),
  throttle: z.boolean(),
  http: z.object({
    request: z.object({ method: z.string().optional(), url: z.string().optional() }).optional(),
    response: z.object({ status: z.number().int().optional() }).optional(),
  }),
  aws: z.record(z.string(), z.unknown()),
  annotations: z.record(z.string(), annotationValue),
  metadata: z.record(z.string(), z.unknown()),
  // X-Ray allows the exceptions inline or the id of an exception recorded on another (sub)segment.
  cause: z.union([z.string().min(1), z.object({ exceptions: z.array(z.unknown()).optional() })]),
  subsegments: z.array(z.unknown()),
} as const;

export type OptionalFields = {
  [K in keyof typeof optionalSchemas]?: z.infer<(typeof optionalSchemas)[K]>;
};

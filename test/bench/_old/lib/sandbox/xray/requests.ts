/** zod schemas for the X-Ray request bodies we serve (the trust boundary of the X-Ray handler). */
import { z } from "zod";

/** Epoch seconds; the SDKs send numbers (possibly fractional). */
const timestamp = z.number().finite().nonnegative();

export const getTraceSummariesRequest = z.object({
  StartTime: timestamp,
  EndTime: timestamp,
  TimeRangeType: z.enum(["TraceId", "Event", "Service"]).optional(),
  Sampling: z.boolean().nullish(),
  SamplingStrategy: z
    .object({
      Name: z.enum(["PartialScan", "FixedRate"]).optional(),
      Value: z.number().min(0).max(1).nullish(),
    })
    .optional(),
  FilterExpression: z.string().optional(),
  NextToken: z.string().optional(),
});
export type GetTraceSummariesRequest = z.infer<typeof getTraceSummariesRequest>;

export const batchGetTracesRequest = z.object({
  TraceIds: z.array(z.string()),
  NextToken: z.string().optional(),
});

export const getServiceGraphRequest = z.object({
  StartTime: timestamp,
  EndTime: timestamp,
  GroupName: z.string().optional(),
  GroupARN: z.string().optional(),
  NextToken: z.string().optional(),
});

export const getTraceGraphRequest = z.object({
  TraceIds: z.array(z.string()),
  NextToken: z.string().optional(),
});

/** AWS-style message for the first schema violation. */
export function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "Invalid request";
  const where = issue.path.join(".") || "request";
  return issue.code === "invalid_type" && issue.input === undefined
    ? `Missing required parameter ${where}`
    : `Invalid value for ${where}: ${issue.message}`;
}

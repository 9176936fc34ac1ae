/** zod schemas for the X-Ray request bodies we serve (the trust boundary of the X-Ray handler). */
import { z } from "zod";
import { awsIssues, validationMessage } from "../protocol/validation";

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

/** AWS's "N validation errors detected: …" wording for a schema violation. */
export function describeIssues(error: z.ZodError, body: unknown): string {
  return validationMessage(awsIssues(error, body));
}

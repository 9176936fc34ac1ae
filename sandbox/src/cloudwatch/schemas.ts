/**
 * Request bodies at the trust boundary. Shapes follow botocore's `cloudwatch` model; timestamps are epoch seconds.
 * A body that does not fit gets CloudWatch's error for it (see parseBody).
 */
import { z } from "zod";
import { awsIssues, validationMessage } from "../protocol/validation";
import { CloudWatchError, validationError } from "./wire";

const DimensionSchema = z.object({ Name: z.string().min(1).max(255), Value: z.string().min(1).max(1024) });

export const MetricStatSchema = z.object({
  Metric: z.object({
    Namespace: z.string().min(1).max(255).optional(),
    MetricName: z.string().min(1).max(255).optional(),
    Dimensions: z.array(DimensionSchema).max(30).optional(),
  }),
  Period: z.number(),
  Stat: z.string().min(1),
  Unit: z.string().optional(),
});

export const MetricDataQuerySchema = z.object({
  Id: z.string().min(1).max(255),
  MetricStat: MetricStatSchema.optional(),
  Expression: z.string().min(1).max(2048).optional(),
  Label: z.string().optional(),
  ReturnData: z.boolean().optional(),
  Period: z.number().optional(),
  AccountId: z.string().min(1).max(255).optional(),
});

export const GetMetricDataSchema = z.object({
  MetricDataQueries: z.array(MetricDataQuerySchema),
  StartTime: z.number(),
  EndTime: z.number(),
  NextToken: z.string().optional(),
  ScanBy: z.enum(["TimestampDescending", "TimestampAscending"]).optional(),
  MaxDatapoints: z.number().int().optional(),
  LabelOptions: z.object({ Timezone: z.string().optional() }).optional(),
});

export const GetMetricStatisticsSchema = z.object({
  Namespace: z.string().min(1).max(255),
  MetricName: z.string().min(1).max(255),
  Dimensions: z.array(DimensionSchema).max(30).optional(),
  StartTime: z.number(),
  EndTime: z.number(),
  Period: z.number().int().min(1),
  Statistics: z.array(z.string()).min(1).max(5).optional(),
  ExtendedStatistics: z.array(z.string()).min(1).max(10).optional(),
  Unit: z.string().optional(),
});

export const ListMetricsSchema = z.object({
  Namespace: z.string().min(1).max(255).optional(),
  MetricName: z.string().min(1).max(255).optional(),
  Dimensions: z
    .array(z.object({ Name: z.string().min(1).max(255), Value: z.string().min(1).max(1024).optional() }))
    .max(10)
    .optional(),
  NextToken: z.string().optional(),
  RecentlyActive: z.literal("PT3H").optional(),
  IncludeLinkedAccounts: z.boolean().optional(),
  OwningAccount: z.string().min(1).max(255).optional(),
});

export const DescribeAlarmsSchema = z.object({
  AlarmNames: z.array(z.string().min(1).max(255)).max(100).optional(),
  AlarmNamePrefix: z.string().min(1).max(255).optional(),
  AlarmTypes: z.array(z.enum(["CompositeAlarm", "MetricAlarm"])).optional(),
  ChildrenOfAlarmName: z.string().optional(),
  ParentsOfAlarmName: z.string().optional(),
  StateValue: z.enum(["OK", "ALARM", "INSUFFICIENT_DATA"]).optional(),
  ActionPrefix: z.string().optional(),
  MaxRecords: z.number().int().min(1).max(100).optional(),
  NextToken: z.string().optional(),
});

/**
 * Parses a JSON body against a schema. Failures read as CloudWatch's: a missing member is MissingParameter
 * ("The parameter StartTime is required."), a value of the wrong JSON type a SerializationException, anything
 * else a ValidationError in the "1 validation error detected: …" wording.
 */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const missing = r.error.issues.find((i) => i.code === "invalid_type" && valueAt(body, i.path) == null);
  if (missing) {
    const name = missing.path.map((k) => (typeof k === "number" ? `member.${k + 1}` : String(k))).join(".");
    throw new CloudWatchError("MissingRequiredParameterException", `The parameter ${name} is required.`);
  }
  const issues = awsIssues(r.error, body);
  if (issues.some((i) => i.typeMismatch)) {
    throw new CloudWatchError(
      "SerializationException",
      validationMessage(issues.filter((i) => i.typeMismatch)),
    );
  }
  throw validationError(validationMessage(issues));
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let v = body;
  for (const k of path) v = (v as Record<PropertyKey, unknown> | null | undefined)?.[k];
  return v;
}

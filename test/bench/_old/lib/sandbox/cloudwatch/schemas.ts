/**
 * Request bodies at the trust boundary. Shapes follow botocore's `cloudwatch` model; timestamps are epoch seconds.
 * A body that does not fit is a ValidationError in CloudWatch's "1 validation error detected" wording.
 */
import { z } from "zod";
import { validationError } from "./wire";

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
  AccountId: z.string().optional(),
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
  OwningAccount: z.string().optional(),
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

/** Parses a JSON body against a schema, turning the first issue into CloudWatch's validation wording. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue?.path.map(String).join(".") ?? "";
  throw validationError(
    `${r.error.issues.length} validation error${r.error.issues.length === 1 ? "" : "s"} detected: ` +
      `Value at '${path}' failed to satisfy constraint: ${issue?.message ?? "invalid"}`,
  );
}

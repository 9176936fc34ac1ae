/**
 * The sandbox's CloudWatch (awsJson1_0, `X-Amz-Target: GraniteServiceVersion20100801.<Op>`): GetMetricData,
 * GetMetricStatistics, ListMetrics and DescribeAlarms over the simulated fleet's AWS/Lambda metrics. Other targets get
 * UnknownOperationException; modelled failures get their JSON shape plus the `x-amzn-query-error` code.
 */
import type { SandboxContext, SandboxRequest, SandboxResponse, ServiceHandler } from "../http/types";
import { describeAlarms } from "./alarms";
import { getMetricData } from "./get-metric-data";
import { getMetricStatistics } from "./get-metric-statistics";
import { listMetrics, type ListedAccount } from "./list-metrics";
import { accountIdOf, linkedSourceIds, readableContext } from "./oam";
import {
  DescribeAlarmsSchema,
  GetMetricDataSchema,
  GetMetricStatisticsSchema,
  ListMetricsSchema,
  parseBody,
} from "./schemas";
import { CloudWatchError, TARGET_PREFIX, errorResponse, jsonResponse, unknownOperation } from "./wire";

type Operation = (body: unknown, req: SandboxRequest, ctx: SandboxContext) => unknown;

/** An account's metrics in the request's region, when the caller may read them (OAM, oam.ts). */
function metricSource(ctx: SandboxContext, region: string, accountId: string): ListedAccount | null {
  const source = readableContext(ctx, accountId);
  return source && { accountId, sim: source.sim, region: source.account.regions.get(region) };
}

const OPERATIONS: Readonly<Record<string, Operation>> = {
  GetMetricData: (body, req, ctx) =>
    getMetricData(parseBody(GetMetricDataSchema, body), {
      sim: ctx.sim,
      region: ctx.account.regions.get(req.region),
      regionName: req.region,
      nowMs: ctx.now(),
      accountId: accountIdOf(ctx),
      sourceOf: (accountId) => metricSource(ctx, req.region, accountId),
    }),
  GetMetricStatistics: (body, req, ctx) =>
    getMetricStatistics(parseBody(GetMetricStatisticsSchema, body), {
      sim: ctx.sim,
      region: ctx.account.regions.get(req.region),
      nowMs: ctx.now(),
    }),
  ListMetrics: (body, req, ctx) =>
    listMetrics(parseBody(ListMetricsSchema, body), {
      sim: ctx.sim,
      region: ctx.account.regions.get(req.region),
      nowMs: ctx.now(),
      accountId: accountIdOf(ctx),
      linked: linkedSourceIds(ctx).flatMap((id) => metricSource(ctx, req.region, id) ?? []),
    }),
  DescribeAlarms: (body, req, ctx) =>
    describeAlarms(parseBody(DescribeAlarmsSchema, body), {
      sim: ctx.sim,
      region: ctx.account.regions.get(req.region),
      regionName: req.region,
      accountId: ctx.account.accountId,
      nowMs: ctx.now(),
    }),
};

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new CloudWatchError(
      "SerializationException",
      "Start of structure or map found where not expected.",
    );
  }
}

export const handleCloudWatch: ServiceHandler = (req, ctx): SandboxResponse => {
  const target = req.headers["x-amz-target"] ?? "";
  const name = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : "";
  const op = Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined;
  if (req.method !== "POST" || !op) return unknownOperation(target || `${req.method} ${req.path}`);
  try {
    return jsonResponse(name, op(parseJson(req.body), req, ctx));
  } catch (e) {
    if (e instanceof CloudWatchError) return errorResponse(name, e);
    throw e;
  }
};

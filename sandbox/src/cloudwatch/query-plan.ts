/**
 * Validates a GetMetricData request and compiles its queries, before any data is read: every error CloudWatch
 * would raise for the request as a whole is raised here, so a bad request never returns partial data.
 */
import type { z } from "zod";
import { parseExpression, references, type Expr } from "./metric-math";
import { validatePeriod } from "./periods";
import type { GetMetricDataSchema } from "./schemas";
import { invalidStatisticMessage, parseStatistic, tryParseStatistic, type Statistic } from "./stats";
import type { Dimension } from "./lambda-metrics";
import { validationError } from "./wire";

export const MAX_QUERIES = 500;
export const DEFAULT_MAX_DATAPOINTS = 100_800;
const ID = /^[a-z][a-zA-Z0-9_]*$/;

export type GetMetricDataInput = z.infer<typeof GetMetricDataSchema>;

export type PlannedQuery =
  | {
      kind: "metric";
      id: string;
      label: string;
      returnData: boolean;
      namespace: string;
      metricName: string;
      dimensions: Dimension[];
      periodSeconds: number;
      stat: Statistic;
      unit: string | undefined;
      /** MetricDataQuery.AccountId: the account whose metric this reads (undefined: the caller's). */
      accountId: string | undefined;
    }
  | {
      kind: "expression";
      id: string;
      label: string;
      returnData: boolean;
      expr: Expr;
      /**
       * MetricDataQuery.AccountId on an expression: AWS uses it for the account a SEARCH runs in (the sandbox has
       * no SEARCH), so it is only checked like a metric's; the metrics the expression reads carry their own.
       */
      accountId: string | undefined;
    };

export interface Plan {
  queries: PlannedQuery[];
  startMs: number;
  endMs: number;
  maxDatapoints: number;
  ascending: boolean;
}

export function planGetMetricData(input: GetMetricDataInput): Plan {
  const qs = input.MetricDataQueries;
  if (qs.length > MAX_QUERIES) {
    throw validationError(
      `The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`,
    );
  }
  if (qs.length === 0) throw validationError("The parameter MetricDataQueries is required.");
  const startMs = input.StartTime * 1000;
  const endMs = input.EndTime * 1000;
  if (!(startMs < endMs)) {
    throw validationError("The parameter StartTime must be less than the parameter EndTime.");
  }
  const maxDatapoints = input.MaxDatapoints ?? DEFAULT_MAX_DATAPOINTS;
  if (maxDatapoints < 1) throw validationError("The parameter MaxDatapoints must be greater than 0.");

  const ids = new Set<string>();
  qs.forEach((q, i) => {
    if (!ID.test(q.Id)) {
      throw validationError(
        `Invalid value for parameter MetricDataQueries.member.${i + 1}.Id: the id must start with a lowercase ` +
          "letter and contain only letters, numbers and underscores.",
      );
    }
    if (ids.has(q.Id))
      throw validationError("The values for parameter id in MetricDataQueries are not unique.");
    ids.add(q.Id);
  });

  // CloudWatch names every query with an invalid statistic in one ValidationError, one line each.
  const badStats = qs.flatMap((q, i) =>
    q.MetricStat && tryParseStatistic(q.MetricStat.Stat) === null
      ? [invalidStatisticMessage(q.MetricStat.Stat, `MetricDataQueries.member.${i + 1}.MetricStat.Stat`)]
      : [],
  );
  if (badStats.length > 0) throw validationError(badStats.join("\n"));

  const queries = qs.map((q, i): PlannedQuery => {
    const where = `MetricDataQueries.member.${i + 1}`;
    const returnData = q.ReturnData ?? true;
    if ((q.MetricStat === undefined) === (q.Expression === undefined)) {
      throw validationError(`Exactly one element of MetricStat or Expression in ${where} must be present.`);
    }
    if (q.MetricStat) {
      const ms = q.MetricStat;
      validatePeriod(ms.Period, `${where}.MetricStat.Period`);
      const metricName = ms.Metric.MetricName;
      const namespace = ms.Metric.Namespace;
      if (!metricName || !namespace) {
        throw validationError(
          `The parameters ${where}.MetricStat.Metric.Namespace and MetricName are required.`,
        );
      }
      return {
        kind: "metric",
        id: q.Id,
        label: q.Label ?? metricName,
        returnData,
        namespace,
        metricName,
        dimensions: ms.Metric.Dimensions ?? [],
        periodSeconds: ms.Period,
        stat: parseStatistic(ms.Stat, `${where}.MetricStat.Stat`),
        unit: ms.Unit,
        accountId: q.AccountId,
      };
    }
    if (q.Period !== undefined) validatePeriod(q.Period, `${where}.Period`);
    const expr = parseExpression(q.Expression as string, q.Id, (id) => ids.has(id));
    return { kind: "expression", id: q.Id, label: q.Label ?? q.Id, returnData, expr, accountId: q.AccountId };
  });

  checkGraph(queries);
  return { queries, startMs, endMs, maxDatapoints, ascending: input.ScanBy === "TimestampAscending" };
}

/** Expressions must form a DAG and each must reach at least one metric. */
function checkGraph(queries: PlannedQuery[]): void {
  const byId = new Map(queries.map((q) => [q.id, q]));
  const state = new Map<string, "visiting" | "done">();
  const reachesMetric = new Map<string, boolean>();
  const visit = (id: string): boolean => {
    const q = byId.get(id);
    if (!q) throw validationError(`Unrecognized identifier '${id}'.`);
    if (q.kind === "metric") return true;
    if (state.get(id) === "done") return reachesMetric.get(id) ?? false;
    if (state.get(id) === "visiting") {
      throw validationError(`Error in expression '${id}': Circular dependency detected.`);
    }
    state.set(id, "visiting");
    let any = false;
    for (const ref of references(q.expr)) any = visit(ref) || any;
    state.set(id, "done");
    reachesMetric.set(id, any);
    return any;
  };
  for (const q of queries) {
    if (q.kind === "expression" && !visit(q.id)) {
      throw validationError(
        `Error in expression '${q.id}': the expression must reference at least one metric.`,
      );
    }
  }
}

/**
 * The CloudWatch port: GetMetricData only, for AWS/Lambda metrics. It owns batching, paging and error mapping
 * and hands back plain series keyed by the caller's own keys; no SDK type leaves this file.
 *
 * Invariants:
 * - One request carries at most MAX_QUERIES_PER_REQUEST (500, the API limit) queries; n queries cost
 *   ceil(n / 500) requests plus NextToken pages, never one request per query.
 * - Every page of a batch is followed until NextToken is absent; a result cut across pages (PartialData) is
 *   concatenated in order. A repeated token is a paging loop and an error.
 * - Query ids sent to AWS are generated here (`q<index>`), so caller keys may be any text.
 * - Timestamps leave as epoch ms, ascending; values are whatever the statistic is (no zero filling: that is a
 *   charting decision made in lib/core/charts).
 * - A query with a `sourceAccount` carries it as `AccountId` (CloudWatch cross-account observability: read in a
 *   monitoring account, it selects that linked source's metric); a query without one carries none, exactly as
 *   before, so single-account callers send the same requests.
 */
import type { AccountTarget } from "@/lib/core/accounts";
import "server-only";
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { checkSourceAccountId } from "@/lib/core/accounts/log-group-arn";
import { mapWithConcurrency } from "@/lib/core/concurrency";
import { FleetscopeError } from "@/lib/core/errors";
import type { TimeWindow } from "@/lib/core/time/range";
import { epochMs, type EpochMs, type Seconds } from "@/lib/core/units";
import { cloudWatchClient } from "./clients";
import { mapAwsErrors } from "./errors";

export const MAX_QUERIES_PER_REQUEST = 500;
/** Batches of one call in flight at once: CloudWatch throttles GetMetricData per account (TPS quota). */
const BATCH_CONCURRENCY = 4;

/** The three dimension sets Lambda publishes per function (plus the region-wide set with none). */
export type LambdaDimensions =
  | { kind: "region" }
  | { kind: "function"; functionName: string }
  /** `resource` is `name:alias` or `name:version`, as Lambda writes it. */
  | { kind: "resource"; functionName: string; resource: string }
  | { kind: "executedVersion"; functionName: string; resource: string; executedVersion: string }
  /** Event source mapping metrics are published under this one dimension only (no FunctionName). */
  | { kind: "eventSourceMapping"; uuid: string };

export interface MetricQuery {
  /** The caller's key for the result; any text, unique within one call. */
  key: string;
  metricName: string;
  /** `Sum`, `Average`, `Maximum`, `SampleCount`, `p99`, … */
  stat: string;
  dimensions: LambdaDimensions;
  period: Seconds;
  /** The 12-digit account the metric belongs to, when the port's credentials are a monitoring account reading a
   * linked source; omitted: the caller's own account. */
  sourceAccount?: string;
}

export interface MetricSeries {
  timestamps: EpochMs[];
  values: number[];
}

export interface CloudWatchPort {
  readonly region: string;
  /** Every query's series over the window (AWS includes start, excludes end); one entry per key. */
  getMetricData(
    queries: readonly MetricQuery[],
    window: TimeWindow,
    options?: {
      maxDatapointsPerPage?: number;
      onRequest?: () => void;
      /** Once per query AWS returned, after its last page: that page's StatusCode (`Complete`, `InternalError`,
       * `Forbidden`, …). An empty series means "no data" only when it was Complete. */
      onStatus?: (key: string, status: string) => void;
    },
  ): Promise<Map<string, MetricSeries>>;
}

/**
 * The account's metrics: through its own credentials, or (OAM) through the monitoring account's with every query
 * naming the account as its source. No account: the console's own.
 */
export function cloudWatchFor(region: string, account: AccountTarget | null = null): CloudWatchPort {
  if (account?.telemetry !== "monitoring-account")
    return createCloudWatchPort(cloudWatchClient(region, account), region);
  const port = createCloudWatchPort(cloudWatchClient(region), region);
  return {
    region,
    getMetricData: (queries, window, options) =>
      port.getMetricData(
        queries.map((q) => ({ ...q, sourceAccount: account.id })),
        window,
        options,
      ),
  };
}

export function toDimensions(d: LambdaDimensions): { Name: string; Value: string }[] {
  switch (d.kind) {
    case "region":
      return [];
    case "function":
      return [{ Name: "FunctionName", Value: d.functionName }];
    case "resource":
      return [
        { Name: "FunctionName", Value: d.functionName },
        { Name: "Resource", Value: d.resource },
      ];
    case "executedVersion":
      return [
        { Name: "FunctionName", Value: d.functionName },
        { Name: "Resource", Value: d.resource },
        { Name: "ExecutedVersion", Value: d.executedVersion },
      ];
    case "eventSourceMapping":
      return [{ Name: "EventSourceMappingUUID", Value: d.uuid }];
  }
}

/** Splits queries into request-sized batches, preserving order. */
export function batchQueries<T>(queries: readonly T[], size = MAX_QUERIES_PER_REQUEST): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < queries.length; i += size) out.push(queries.slice(i, i + size));
  return out;
}

export function createCloudWatchPort(client: CloudWatchClient, region: string): CloudWatchPort {
  async function runBatch(
    batch: readonly { id: string; query: MetricQuery }[],
    window: TimeWindow,
    into: Map<string, MetricSeries>,
    maxDatapoints: number | undefined,
    onRequest: (() => void) | undefined,
    onStatus: ((key: string, status: string) => void) | undefined,
  ): Promise<void> {
    const byId = new Map(batch.map((b) => [b.id, b.query.key]));
    const MetricDataQueries: MetricDataQuery[] = batch.map(({ id, query }) => ({
      Id: id,
      ReturnData: true,
      MetricStat: {
        Metric: {
          Namespace: "AWS/Lambda",
          MetricName: query.metricName,
          Dimensions: toDimensions(query.dimensions),
        },
        Period: query.period,
        Stat: query.stat,
      },
      ...(query.sourceAccount === undefined ? {} : { AccountId: query.sourceAccount }),
    }));
    const seen = new Set<string>();
    const statusByKey = new Map<string, string>();
    let token: string | undefined;
    do {
      onRequest?.();
      const page = await mapAwsErrors("CloudWatch GetMetricData", () =>
        client.send(
          new GetMetricDataCommand({
            MetricDataQueries,
            StartTime: new Date(window.start),
            EndTime: new Date(window.end),
            ScanBy: "TimestampAscending",
            NextToken: token,
            MaxDatapoints: maxDatapoints,
          }),
        ),
      );
      for (const r of page.MetricDataResults ?? []) {
        const key = r.Id === undefined ? undefined : byId.get(r.Id);
        if (key === undefined) continue;
        statusByKey.set(key, r.StatusCode ?? "Unknown");
        const series = into.get(key) ?? { timestamps: [], values: [] };
        const ts = r.Timestamps ?? [];
        const vs = r.Values ?? [];
        for (let i = 0; i < Math.min(ts.length, vs.length); i++) {
          series.timestamps.push(epochMs((ts[i] as Date).getTime()));
          series.values.push(vs[i] as number);
        }
        into.set(key, series);
      }
      token = page.NextToken || undefined;
      if (token !== undefined) {
        if (seen.has(token))
          throw new FleetscopeError("Unavailable", "CloudWatch GetMetricData: paging loop");
        seen.add(token);
      }
    } while (token !== undefined);
    for (const [key, status] of statusByKey) onStatus?.(key, status);
  }

  return {
    region,
    async getMetricData(queries, window, options = {}) {
      const keys = new Set<string>();
      for (const q of queries) {
        if (keys.has(q.key)) throw new FleetscopeError("InvalidInput", `Duplicate metric query key ${q.key}`);
        keys.add(q.key);
        if (q.sourceAccount !== undefined)
          checkSourceAccountId(q.sourceAccount, `Metric query ${q.key}: the source account`);
      }
      const out = new Map<string, MetricSeries>();
      const withIds = queries.map((query, i) => ({ id: `q${i}`, query }));
      await mapWithConcurrency(batchQueries(withIds), BATCH_CONCURRENCY, (batch) =>
        runBatch(batch, window, out, options.maxDatapointsPerPage, options.onRequest, options.onStatus),
      );
      // A query AWS returned no point for still gets an (empty) series: "no data" is an answer.
      for (const q of queries) if (!out.has(q.key)) out.set(q.key, { timestamps: [], values: [] });
      return out;
    },
  };
}

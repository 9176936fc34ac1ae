/**
 * ListMetrics for AWS/Lambda: which series exist (e.g. every FunctionName + Resource + ExecutedVersion that
 * reported in the last two weeks), so a whole-fleet plan can find aliased traffic without one ListAliases per
 * function. Owns paging and error mapping; returns plain dimension records (no SDK type leaves this file).
 *
 * Invariants: every page is followed until NextToken is absent (a repeated token is a paging loop and an
 * error); each series comes back as `dimension name → value`.
 */
import type { AccountTarget } from "@/lib/core/accounts";
import "server-only";
import { CloudWatchClient, ListMetricsCommand } from "@aws-sdk/client-cloudwatch";
import { FleetscopeError } from "@/lib/core/errors";
import { cloudWatchClient } from "./clients";
import { mapAwsErrors } from "./errors";

export interface MetricListPort {
  readonly region: string;
  /** Series of `metricName` that carry every dimension in `withDimensions` (any value). */
  listSeries(
    metricName: string,
    withDimensions: readonly string[],
    onRequest?: () => void,
  ): Promise<Record<string, string>[]>;
}

/** Listing is free and per account: an OAM source's metrics are listed through its own role. */
export const metricListFor = (region: string, account: AccountTarget | null = null): MetricListPort =>
  createMetricListPort(cloudWatchClient(region, account), region);

export function createMetricListPort(client: CloudWatchClient, region: string): MetricListPort {
  return {
    region,
    async listSeries(metricName, withDimensions, onRequest) {
      const out: Record<string, string>[] = [];
      const seen = new Set<string>();
      let token: string | undefined;
      do {
        onRequest?.();
        const page = await mapAwsErrors("CloudWatch ListMetrics", () =>
          client.send(
            new ListMetricsCommand({
              Namespace: "AWS/Lambda",
              MetricName: metricName,
              Dimensions: withDimensions.map((Name) => ({ Name })),
              NextToken: token,
            }),
          ),
        );
        for (const m of page.Metrics ?? []) {
          const dims: Record<string, string> = {};
          for (const d of m.Dimensions ?? []) if (d.Name && d.Value !== undefined) dims[d.Name] = d.Value;
          out.push(dims);
        }
        token = page.NextToken || undefined;
        if (token !== undefined) {
          if (seen.has(token))
            throw new FleetscopeError("Unavailable", "CloudWatch ListMetrics: paging loop");
          seen.add(token);
        }
      } while (token !== undefined);
      return out;
    },
  };
}

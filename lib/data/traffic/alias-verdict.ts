/**
 * The health verdict of an alias's canary (lib/core/traffic/verdict.ts) from live per-version metrics (the alias
 * page, and promote, which judges again at the time of the request) or from the collector's store (the /traffic
 * list: no AWS request however many aliases or viewers). Thresholds are those of the plan driving the alias, else
 * a plan's defaults.
 */
import type { Alias } from "@/lib/core/lambda/types";
import { versionRowKey, type MetricRollup } from "@/lib/core/rollup/types";
import {
  aliasVerdict,
  DEFAULT_VERDICT_THRESHOLDS,
  type AliasVerdict,
  type VerdictThresholds,
  type VersionSample,
} from "@/lib/core/traffic/verdict";
import type { Scope } from "@/lib/core/accounts/scope";
import type { TrafficDeps } from "./deps";
import { versionMetrics } from "./version-metrics";

export const VERDICT_WINDOW_MINUTES = 30;
const MINUTE = 60_000;

export async function thresholdsFor(
  deps: Pick<TrafficDeps, "store">,
  scope: Scope,
  fn: string,
  alias: string,
): Promise<VerdictThresholds> {
  const plan = await deps.store.plans.runningFor(scope, fn, alias);
  return plan ? plan.spec.guards : DEFAULT_VERDICT_THRESHOLDS;
}

/** null when the alias sends everything to one version: there is no canary to judge. */
export function verdictFromMetrics(
  alias: Alias,
  metrics: readonly VersionSample[],
  thresholds: VerdictThresholds,
): AliasVerdict | null {
  if (!alias.routing || alias.routing.weight <= 0) return null;
  const side = (version: string): VersionSample => {
    const m = metrics.find((x) => x.version === version);
    return { version, invocations: m?.invocations ?? 0, errors: m?.errors ?? 0, p99: m?.p99 ?? null };
  };
  return aliasVerdict(side(alias.functionVersion), side(alias.routing.additionalVersion), thresholds);
}

/** Judged now, from CloudWatch (one GetMetricData): what promote checks before it changes anything. */
export async function liveVerdict(
  deps: Pick<TrafficDeps, "cloudwatch" | "store" | "now">,
  scope: Scope,
  fn: string,
  alias: Alias,
): Promise<AliasVerdict | null> {
  if (!alias.routing || alias.routing.weight <= 0) return null;
  const now = deps.now();
  const metrics = await versionMetrics(
    deps,
    scope,
    fn,
    alias.name,
    [alias.functionVersion, alias.routing.additionalVersion],
    { start: now - VERDICT_WINDOW_MINUTES * MINUTE, end: now },
  );
  return verdictFromMetrics(alias, metrics, await thresholdsFor(deps, scope, fn, alias.name));
}

export interface StoredVerdicts {
  /** The minutes judged, from the collector's coverage; null when it has collected nothing for the scope. */
  window: { start: number; end: number } | null;
  of(fn: string, alias: Alias): AliasVerdict | null;
}

/**
 * Per-version minute rows the collector keeps for every weighted alias, over the last VERDICT_WINDOW_MINUTES it
 * has collected. The store has no percentiles: the list judges error rates only (the alias page adds p99).
 */
export async function storedVerdicts(
  deps: Pick<TrafficDeps, "store">,
  scope: Scope,
): Promise<StoredVerdicts> {
  const coverage = await deps.store.telemetry.coverage(scope, "metrics", 60);
  if (!coverage) return { window: null, of: () => null };
  const end = coverage.to;
  const start = Math.max(coverage.from, end - VERDICT_WINDOW_MINUTES * MINUTE);
  const [rows, running] = await Promise.all([
    deps.store.telemetry.metricTotals(scope, 60, start, end),
    deps.store.plans.running(),
  ]);
  const totals = new Map<string, MetricRollup>(rows.map((r) => [r.fn, r]));
  // One read of the running plans for every alias of the list, not one query per alias.
  const guards = new Map(
    running
      .filter((p) => p.spec.account === scope.account && p.spec.region === scope.region)
      .map((p) => [`${p.spec.functionName}:${p.spec.alias}`, p.spec.guards]),
  );
  return {
    window: { start, end },
    of(fn, alias) {
      if (!alias.routing || alias.routing.weight <= 0) return null;
      const row = (v: string) => totals.get(versionRowKey(fn, alias.name, v));
      const metrics = [alias.functionVersion, alias.routing.additionalVersion].map(
        (version): VersionSample => ({
          version,
          invocations: row(version)?.invocations ?? 0,
          errors: row(version)?.errors ?? 0,
          p99: null,
        }),
      );
      return verdictFromMetrics(
        alias,
        metrics,
        guards.get(`${fn}:${alias.name}`) ?? DEFAULT_VERDICT_THRESHOLDS,
      );
    },
  };
}

/**
 * Seeing traffic: every alias of the fleet (mid-shift first) and one alias in detail, with per-version metrics
 * and cold starts (metrics and logs load independently: either failing degrades its own panel) and the observed
 * vs configured split. Account-regions load independently: one failing account or region is reported, not fatal.
 */
import { mapWithConcurrency } from "@/lib/core/concurrency";
import { FleetscopeError, toOutcomeError, type Outcome, type OutcomeError, settle } from "@/lib/core/errors";
import type { Alias, FunctionConfig } from "@/lib/core/lambda/types";
import type { VersionColdStarts } from "@/lib/core/query/version-cold-starts";
import { healthRank, listHealth } from "@/lib/core/traffic/alias-list";
import type { AuditEntry } from "@/lib/core/traffic/audit";
import type { AliasVerdict } from "@/lib/core/traffic/verdict";
import { observedSplit, type ObservedSplit } from "@/lib/core/traffic/observed-split";
import { isPublishedVersion } from "@/lib/core/traffic/routing";
import { ratio } from "@/lib/core/units";
import { parseFunctionName, parseRegion } from "../validate";
import { storedVerdicts, thresholdsFor, verdictFromMetrics, VERDICT_WINDOW_MINUTES } from "./alias-verdict";
import type { TrafficDeps } from "./deps";
import { versionColdStarts } from "./version-cold-starts";
import { versionMetrics, type VersionMetrics } from "./version-metrics";
import type { StoredPlan } from "@/lib/store/plans";
import type { AccountId } from "@/lib/core/accounts";
import type { Scope } from "@/lib/core/accounts/scope";
import { auditAccount } from "./accounts";

const FAN_OUT = 6;

export interface AliasRow {
  account: AccountId;
  region: string;
  functionName: string;
  alias: Alias;
  midShift: boolean;
  /** The canary's health from the collector's store; null with no canary, or nothing collected yet. */
  verdict: AliasVerdict | null;
}

/** Everything per account-region (a Scope): one failing account or region is reported, the others still listed. */
export interface FleetAliases {
  rows: AliasRow[];
  regions: (Scope & { outcome: Outcome<number> })[];
  /** Where the list came from: the collector's inventory (with its age and unread functions) or AWS. */
  sources: (Scope & { from: "inventory" | "aws"; listedAt: number | null; functionsPending: number })[];
  /** The collected minutes the verdicts judge (null: nothing collected yet, no verdicts). */
  verdictWindows: (Scope & { window: { start: number; end: number } | null })[];
}

export const isMidShift = (a: Alias) => a.routing !== null && a.routing.weight > 0;

/** Every account the deps read × every configured region. */
export const allScopes = (deps: Pick<TrafficDeps, "accounts" | "regions">): Scope[] =>
  deps.accounts.flatMap((t) => deps.regions.map((region) => ({ account: t.id, region })));

/**
 * Every alias of the fleet, per account-region. Read from the inventory the collector keeps (no AWS request;
 * aliases this console changed are updated there at once); a scope whose inventory was never listed yet is read
 * live, once, with that account's credentials.
 */
export async function listAliasesFleetWide(
  deps: TrafficDeps,
  scopes: readonly Scope[] = allScopes(deps),
): Promise<FleetAliases> {
  const perRegion = await Promise.all(
    scopes.map(async (scope) => {
      const { account, region } = scope;
      const [inventory, verdicts] = await Promise.all([
        deps.store.inventory.account(scope),
        storedVerdicts(deps, scope),
      ]);
      const listedAt = inventory?.listedAt ?? null;
      if (listedAt !== null) {
        const entries = await deps.store.inventory.functions(scope);
        const rows = entries.flatMap((e) =>
          (e.details?.aliases ?? []).map((alias) => ({
            account,
            region,
            functionName: e.config.name,
            alias,
            midShift: isMidShift(alias),
            verdict: verdicts.of(e.config.name, alias),
          })),
        );
        return {
          scope,
          rows,
          verdictWindow: verdicts.window,
          outcome: { ok: true, value: rows.length } as Outcome<number>,
          source: {
            ...scope,
            from: "inventory" as const,
            listedAt,
            functionsPending: entries.filter((e) => e.details === null).length,
          },
        };
      }
      const source = { ...scope, from: "aws" as const, listedAt: null, functionsPending: 0 };
      try {
        const lambda = deps.lambda({ account, region: parseRegion(region) });
        const fns = await lambda.listFunctions();
        const lists = await mapWithConcurrency(fns, FAN_OUT, (f) => lambda.listAliases(f.name));
        const rows = fns.flatMap((f, i) =>
          (lists[i] ?? []).map((alias) => ({
            account,
            region,
            functionName: f.name,
            alias,
            midShift: isMidShift(alias),
            verdict: verdicts.of(f.name, alias),
          })),
        );
        return {
          scope,
          rows,
          verdictWindow: verdicts.window,
          outcome: { ok: true, value: rows.length } as Outcome<number>,
          source,
        };
      } catch (e) {
        return {
          scope,
          rows: [] as AliasRow[],
          verdictWindow: verdicts.window,
          outcome: { ok: false, error: toOutcomeError(e) } as Outcome<number>,
          source,
        };
      }
    }),
  );
  const rows = perRegion
    .flatMap((r) => r.rows)
    .sort(
      (a, b) =>
        Number(b.midShift) - Number(a.midShift) ||
        healthRank(listHealth(a)) - healthRank(listHealth(b)) ||
        a.functionName.localeCompare(b.functionName) ||
        a.alias.name.localeCompare(b.alias.name) ||
        a.account.localeCompare(b.account) ||
        a.region.localeCompare(b.region),
    );
  return {
    rows,
    regions: perRegion.map(({ scope, outcome }) => ({ ...scope, outcome })),
    sources: perRegion.map((r) => r.source),
    verdictWindows: perRegion.map((r) => ({ ...r.scope, window: r.verdictWindow })),
  };
}

/**
 * What the alias page needs before anything streams (so an unknown alias answers 404): the alias, its published
 * versions and provisioned concurrency from AWS, and the plans and audit from the store. When AWS does not answer,
 * the alias comes from the collector's inventory instead (`stale` says when it was read and why), the control-plane
 * reads are marked unavailable, and changes are off: a change must be based on a RevisionId read now.
 */
export interface AliasHead {
  account: AccountId;
  /** The role the alias is read and changed through (null: the console's own credentials). */
  roleArn: string | null;
  region: string;
  functionName: string;
  alias: Alias;
  /** null: `alias` was read from AWS now. Otherwise the collector's copy, with AWS's failure. */
  stale: { readAt: number | null; error: OutcomeError } | null;
  /** Published versions, newest first (empty when `controlPlane` failed). */
  versions: FunctionConfig[];
  /** null when unknown (the control-plane reads failed). */
  aliasHasProvisionedConcurrency: boolean | null;
  /** ListVersionsByFunction and ListProvisionedConcurrencyConfigs: failing disables changes, nothing else. */
  controlPlane: Outcome<true>;
  /** ListVersions carries LoggingConfig: the telemetry finds the log group there with no extra call. */
  logConfig: FunctionConfig | null;
  plan: StoredPlan | null;
  recentPlans: StoredPlan[];
  audit: AuditEntry[];
}

/** The live per-version metrics and what is judged from them, loaded after the head (their panels stream in). */
export interface AliasTelemetry {
  window: { start: number; end: number };
  metrics: Outcome<VersionMetrics[]>;
  split: ObservedSplit | null;
  /** The canary's health over the window (live metrics, with p99); null with no canary or no metrics. */
  verdict: AliasVerdict | null;
}

export type AliasDetail = AliasHead &
  AliasTelemetry & {
    /** From the function's REPORT lines, per version (all invocations of the version, not only via this alias). */
    coldStarts: Outcome<VersionColdStarts[]>;
  };

/** The window the alias page judges: the last `minutes` up to now. */
export const aliasWindow = (deps: TrafficDeps, minutes = VERDICT_WINDOW_MINUTES) => {
  const now = deps.now();
  return { start: now - minutes * 60_000, end: now };
};

/** The versions an alias sends traffic to. */
const routedVersions = (alias: Alias) =>
  [alias.functionVersion, ...(alias.routing ? [alias.routing.additionalVersion] : [])].filter(
    isPublishedVersion,
  );

/** How long the alias page waits for AWS before it shows the stored alias instead. */
export const HEAD_DEADLINE_MS = 15_000;

export async function getAliasHead(
  deps: TrafficDeps,
  where: Scope,
  functionName: string,
  aliasName: string,
): Promise<AliasHead> {
  const r = parseRegion(where.region);
  const scope: Scope = { account: where.account, region: r };
  const { roleArn } = auditAccount(deps, scope.account);
  const lambda = deps.lambda(scope);
  const fn = parseFunctionName(functionName);
  // Nothing of the page is sent before these answer: bound them as a whole, below the SDK's attempts × timeout.
  const signal = AbortSignal.timeout(HEAD_DEADLINE_MS);
  const [aliasRead, versionsRead, provisionedRead] = await Promise.all([
    settle(lambda.getAlias(fn, aliasName, { signal })),
    settle(lambda.listVersions(fn, { signal })),
    settle(lambda.listProvisionedConcurrency(fn, { signal })),
  ]);
  let alias: Alias;
  let stale: AliasHead["stale"] = null;
  if (aliasRead.ok) alias = aliasRead.value;
  else {
    const error = aliasRead.error;
    if (error.code === "NotFound" || error.code === "InvalidInput")
      throw new FleetscopeError(error.code, error.message);
    const entry = await deps.store.inventory.get(scope, fn);
    const stored = entry?.details?.aliases.find((a) => a.name === aliasName);
    if (!entry || !stored) throw new FleetscopeError(error.code, error.message);
    alias = stored;
    stale = { readAt: entry.detailsReadAt, error };
  }
  const controlPlane: Outcome<true> = !versionsRead.ok
    ? versionsRead
    : !provisionedRead.ok
      ? provisionedRead
      : { ok: true, value: true };
  const [recent, audit] = await Promise.all([
    deps.store.plans.recent(200),
    deps.store.audit.list({
      account: scope.account,
      region: r,
      functionName: fn,
      alias: aliasName,
      limit: 100,
    }),
  ]);
  const plans = recent.filter(
    (p) =>
      p.spec.account === scope.account &&
      p.spec.region === r &&
      p.spec.functionName === fn &&
      p.spec.alias === aliasName,
  );
  return {
    account: scope.account,
    roleArn,
    region: r,
    functionName: fn,
    alias,
    stale,
    versions: versionsRead.ok
      ? versionsRead.value
          .filter((v) => isPublishedVersion(v.version))
          .sort((a, b) => Number(b.version) - Number(a.version))
      : [],
    aliasHasProvisionedConcurrency: provisionedRead.ok
      ? provisionedRead.value.some((p) => p.qualifier === aliasName)
      : null,
    controlPlane,
    plan: plans.find((p) => p.state.status === "running") ?? null,
    recentPlans: plans.slice(0, 10),
    audit,
    logConfig: versionsRead.ok ? logConfigOf(versionsRead.value) : null,
  };
}

const logConfigOf = (versions: readonly FunctionConfig[]) =>
  versions.find((v) => v.version === "$LATEST") ?? versions[0] ?? null;

export async function getAliasTelemetry(
  deps: TrafficDeps,
  head: AliasHead,
  window = aliasWindow(deps),
): Promise<AliasTelemetry> {
  const { functionName: fn, alias } = head;
  const scope: Scope = { account: head.account, region: head.region };
  const metrics = await settle(versionMetrics(deps, scope, fn, alias.name, routedVersions(alias), window));
  let split: ObservedSplit | null = null;
  if (metrics.ok && alias.routing) {
    const primary = metrics.value.find((m) => m.version === alias.functionVersion);
    const extra = metrics.value.find((m) => m.version === alias.routing?.additionalVersion);
    split = observedSplit(primary?.invocations ?? 0, extra?.invocations ?? 0, alias.routing.weight);
  } else if (metrics.ok) {
    split = observedSplit(metrics.value[0]?.invocations ?? 0, 0, ratio(0));
  }
  return {
    window,
    metrics,
    split,
    verdict: metrics.ok
      ? verdictFromMetrics(alias, metrics.value, await thresholdsFor(deps, scope, fn, alias.name))
      : null,
  };
}

/** Cold starts per routed version from Logs Insights: slower than the metrics, so loaded on its own. */
export function getAliasColdStarts(
  deps: TrafficDeps,
  head: AliasHead,
  window = aliasWindow(deps),
): Promise<Outcome<VersionColdStarts[]>> {
  if (!head.logConfig) {
    return Promise.resolve({
      ok: false,
      error: head.controlPlane.ok
        ? { code: "NotFound", message: "No version of the function names its log group." }
        : head.controlPlane.error,
    });
  }
  const scope: Scope = { account: head.account, region: head.region };
  return settle(versionColdStarts(deps, scope, head.logConfig, routedVersions(head.alias), window));
}

/** Head and telemetry in one (the JSON API and tests). */
export async function getAliasDetail(
  deps: TrafficDeps,
  scope: Scope,
  functionName: string,
  aliasName: string,
  windowMinutes = VERDICT_WINDOW_MINUTES,
): Promise<AliasDetail> {
  const head = await getAliasHead(deps, scope, functionName, aliasName);
  const window = aliasWindow(deps, windowMinutes);
  const [telemetry, coldStarts] = await Promise.all([
    getAliasTelemetry(deps, head, window),
    getAliasColdStarts(deps, head, window),
  ]);
  return { ...head, ...telemetry, coldStarts };
}

/**
 * The Advisor use-case: every flag of the fleet across accounts and regions. Evidence comes from the collector's
 * store by default (collect-store.ts: no AWS request for it, judged on the part of the window collected so far),
 * or read live from AWS (collect-live.ts; benchmarks and `npm run advise -- --live`), through each account's own
 * ports (its role). Each account-region (scope) is collected on its own (a failing scope — a denied role, an
 * unread region — is reported, never fatal), cached and coalesced per (scope, window, and for the store the
 * collector's last write), so many viewers of the Advisor page cost the same as one. A scope is `ok` only when
 * every rule was judged for every function on evidence read whole; what could not be judged is listed. Every
 * flag and unjudged entry carries its account: two accounts' same-named functions are flagged apart.
 */
import { systemClock } from "@/lib/config/clock";
import "server-only";
import { readFileSync } from "node:fs";
import { cloudWatchFor } from "@/lib/aws/cloudwatch";
import { metricListFor } from "@/lib/aws/cloudwatch-list-metrics";
import { lambdaFor } from "@/lib/aws/lambda";
import { sqsFor } from "@/lib/aws/sqs";
import { BACKGROUND_TIMING, logsFor } from "@/lib/aws/logs";
import type { AccountTarget } from "@/lib/core/accounts";
import { functionRefKey, scopeKey, type FunctionRef, type Scope } from "@/lib/core/accounts/scope";
import {
  accountNotJudged,
  advise,
  adviseAccount,
  bySeverity,
  notJudgedFor,
  type Flag,
  type Thresholds,
} from "@/lib/core/advisor";
import { toOutcomeError } from "@/lib/core/errors";
import type { TimeWindow } from "@/lib/core/time/range";
import { epochMs, type Seconds } from "@/lib/core/units";
import { env } from "@/lib/config/env";
import { store } from "@/lib/store";
import { memoizedVersionConfigs, type VersionConfigStore } from "@/lib/store/version-configs";
import { cacheKey, createCache, type Cache } from "../cache";
import { parseRegion } from "../validate";
import { collectRegionLive, type CollectOptions } from "./collect-live";
import type { RegionCollection, RegionPorts } from "./collection";
import { collectRegionFromStore } from "./collect-store";
import { coverageSignature } from "@/lib/data/telemetry/store-source";
import type { AdvisorStoreReader } from "./store-evidence";
import {
  badgeSummaries,
  type FleetAdvice,
  type FleetFlag,
  type FleetUnjudged,
  type FlagBadgeSummary,
  type RegionAdviceStatus,
} from "./summary";
import { resolveThresholds } from "./thresholds-source";
import { QUEUE_TTL_MS } from "./sources";

export * from "./summary";

export interface AdvisorDeps {
  /** Where the evidence comes from: the collector's store, or AWS read live for this run. */
  source: "store" | "live";
  /**
   * The live path's ports in one account-region (the account's role); the store path uses only `lambda`, for
   * published versions not known yet, and the trigger ports.
   */
  ports: (region: string, account: AccountTarget) => RegionPorts;
  /** The store path's reader (default: the process's store). */
  store?: () => AdvisorStoreReader;
  thresholds: () => Thresholds;
  cache: Cache<unknown> | null;
  collect?: CollectOptions & {
    /** The collector's backfill horizon, so a window longer than it says so rather than "still backfilling". */
    horizonMs?: number;
  };
  now?: () => number;
}

let defaultCache: Cache<unknown> | undefined;
let queueCache: Cache<{ visibilityTimeout: Seconds }> | undefined;
let defaultVersionConfigs: VersionConfigStore | undefined;

/** Published versions' configurations: memory in front of the database, or memory alone if it cannot open. */
function versionConfigs(): VersionConfigStore {
  if (!defaultVersionConfigs) {
    let behind: VersionConfigStore | null = null;
    try {
      behind = store().versionConfigs;
    } catch (e) {
      console.warn(`advisor: version configurations kept in memory only (${toOutcomeError(e).message})`);
    }
    defaultVersionConfigs = memoizedVersionConfigs(behind);
  }
  return defaultVersionConfigs;
}

export const defaultAdvisorDeps = (): AdvisorDeps => {
  defaultCache ??= createCache({ ttlMs: ADVISOR_REFRESH_MS, maxEntries: 50 });
  queueCache ??= createCache({ ttlMs: QUEUE_TTL_MS, maxEntries: 1000 });
  return {
    source: "store",
    collect: { versionConfigs: versionConfigs(), horizonMs: env().collector.backfillHours * 3_600_000 },
    ports: (region, account) => {
      const lambda = lambdaFor(region, account);
      return {
        lambda,
        // The same adapter: its fleet listing and async-config calls (sources.ts).
        triggers: lambda,
        sqs: sqsFor(region, account),
        queueCache,
        cloudwatch: cloudWatchFor(region, account),
        logs: logsFor(region, BACKGROUND_TIMING, account),
        metricList: metricListFor(region, account),
      };
    },
    thresholds: () => resolveThresholds(process.env, (p) => readFileSync(p, "utf8")),
    cache: defaultCache,
  };
};

/** How long one whole-fleet collection serves the Advisor page, badges and function pages. */
export const ADVISOR_REFRESH_MS = 15 * 60_000;

/** The advisor's default look-back: the anchors judge memory and timeouts over 7 days. */
export const DEFAULT_WINDOW_DAYS = 7;

/**
 * The window judged: exactly `days` back from its end, which is now rounded down to a closed 15-minute boundary
 * for look-backs of a day or more (the cache serves every page in between) and to a minute otherwise. It is not
 * aligned to UTC midnights: live, its days are its own (start + k·24 h, as CloudWatch's daily datapoints over it,
 * with the timeouts counted per hour and added up into them: collect-live.ts); from the store, it is split at
 * UTC midnights, its first and last days partial (store-evidence.ts).
 */
export function advisorWindow(now: number, days: number = DEFAULT_WINDOW_DAYS): TimeWindow {
  const DAY = 86_400_000;
  // A judgement over days does not change by the minute: a 15-minute end lets the cache serve every page.
  const step = days >= 1 ? ADVISOR_REFRESH_MS : 60_000;
  const end = Math.floor(now / step) * step;
  // Exactly the look-back asked: "1 d" is the last 24 hours, never since a midnight up to 48 hours back.
  return { start: epochMs(end - Math.round(days * DAY)), end: epochMs(end) };
}

/** The window for a page rendered now. */
export const currentAdvisorWindow = (days: number = DEFAULT_WINDOW_DAYS): TimeWindow =>
  advisorWindow(systemClock.now(), days);

/** One account-region to advise, with the account as the console reads it (its role, its telemetry path). */
export interface AdvisorScope {
  target: AccountTarget;
  region: string;
}

const scopeOf = (s: AdvisorScope): Scope => ({ account: s.target.id, region: s.region });

/** Every selected account × every selected region, accounts first (the order pages and the CLI list them). */
export const advisorScopes = (
  targets: readonly AccountTarget[],
  regions: readonly string[],
): AdvisorScope[] => targets.flatMap((target) => regions.map((region) => ({ target, region })));

/** How one scope's collection is made and cached on the chosen path. */
async function loader(
  deps: AdvisorDeps,
  advised: AdvisorScope,
  window: TimeWindow,
): Promise<{ load: () => Promise<RegionCollection>; key: string }> {
  const { region, target } = advised;
  const scope = scopeOf(advised);
  if (deps.source === "live")
    return {
      load: () => collectRegionLive(deps.ports(region, target), window, deps.collect),
      key: cacheKey({ region: scopeKey(scope), query: `advisor:live:${window.start}:${window.end}` }),
    };
  const reader = (deps.store ?? store)();
  return {
    load: () => {
      const ports = deps.ports(region, target);
      return collectRegionFromStore(reader, scope, window, {
        lambda: ports.lambda,
        versionConfigs: deps.collect?.versionConfigs,
        now: (deps.now ?? systemClock.now)(),
        horizonMs: deps.collect?.horizonMs,
        sources: { triggers: ports.triggers, sqs: ports.sqs, queueCache: ports.queueCache },
      });
    },
    // The collector's last write is part of the key: a new minute collected is a new judgement.
    key: cacheKey({
      region: scopeKey(scope),
      query: `advisor:store:${window.start}:${window.end}:${await coverageSignature(reader, scope)}`,
    }),
  };
}

export async function getFleetAdvice(
  scopes: readonly AdvisorScope[],
  window: TimeWindow,
  deps: AdvisorDeps = defaultAdvisorDeps(),
): Promise<FleetAdvice> {
  const thresholds = deps.thresholds();
  const now = epochMs(window.end);
  const perScope = await Promise.all(
    scopes.map(async (advised): Promise<{ status: RegionAdviceStatus; flags: FleetFlag[] }> => {
      const account = advised.target.id;
      const named = { account, accountName: advised.target.name };
      let region = advised.region;
      try {
        region = parseRegion(advised.region);
        const { load, key } = await loader(deps, { ...advised, region }, window);
        const c = (deps.cache ? await deps.cache.get(key, load) : await load()) as RegionCollection;
        // Rules whose evidence is missing for a function are not run for it (no telemetry in the window:
        // only what configuration alone shows is judged), and are listed instead.
        const found: Flag[] = c.inputs.flatMap((input) => advise(input, { now, thresholds }));
        const missing = c.inputs.flatMap((input) => notJudgedFor(input));
        if (c.account) found.push(...adviseAccount(c.account, window, { now, thresholds }));
        else missing.push(accountNotJudged(region, "the account settings could not be read"));
        const flags = found.map((f): FleetFlag => ({ ...f, account }));
        const unjudged = missing.map((u): FleetUnjudged => ({ ...u, account }));
        const message = c.gaps.length > 0 ? `partial evidence: ${c.gaps.join("; ")}` : null;
        const status: RegionAdviceStatus = {
          ...named,
          region,
          // A judged window shorter than asked (backfilling, behind) is incomplete evidence too.
          ok: unjudged.length === 0 && c.gaps.length === 0 && !c.evidence?.shortfall,
          advised: true,
          message,
          functions: c.inputs.length,
          unjudged,
        };
        if (c.evidence) status.evidence = c.evidence;
        return { status, flags };
      } catch (e) {
        const message = toOutcomeError(e).message;
        return {
          status: { ...named, region, ok: false, advised: false, message, functions: 0, unjudged: [] },
          flags: [],
        };
      }
    }),
  );
  const advice: FleetAdvice = {
    window,
    generatedAt: (deps.now ?? systemClock.now)(),
    source: deps.source,
    regions: perScope.map((r) => r.status),
    flags: perScope.flatMap((r) => r.flags).sort(bySeverity),
  };
  remember(advice);
  return advice;
}

/**
 * The latest flags per account-region (by scopeKey) from any Advisor run in this process. Badges read only this:
 * the functions table and function pages never start a whole-fleet collection (nor wait for one); they show
 * what the Advisor last found, with its time.
 */
const latest = new Map<string, { flags: FleetFlag[]; window: TimeWindow }>();

function remember(advice: FleetAdvice): void {
  for (const r of advice.regions) {
    if (r.advised)
      latest.set(scopeKey({ account: r.account as Scope["account"], region: r.region }), {
        flags: advice.flags.filter((f) => f.account === r.account && f.region === r.region),
        window: advice.window,
      });
  }
}

/**
 * Badges for the functions table from the latest Advisor run, keyed by functionRefKey (account:region:name), or
 * null when none has run for these scopes.
 */
export function latestFlagBadges(scopes: readonly Scope[]): Record<string, FlagBadgeSummary> | null {
  const known = scopes.map((s) => latest.get(scopeKey(s))).filter((x) => x !== undefined);
  return known.length === 0 ? null : badgeSummaries(known.flatMap((k) => k.flags));
}

/** One function's flags from the latest Advisor run of its scope; null when the scope was not advised yet. */
export function latestFunctionFlags(ref: FunctionRef): { flags: FleetFlag[]; window: TimeWindow } | null {
  const k = latest.get(scopeKey(ref));
  return k ? { flags: k.flags.filter((f) => f.functionName === ref.name), window: k.window } : null;
}

/** The key latestFlagBadges gives a function's badge (a functions-table row's account, region and name). */
export const badgeKey = (ref: FunctionRef): string => functionRefKey(ref);

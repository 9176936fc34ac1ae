/**
 * The fleet's sources (issue 13): every event source mapping of the configured regions and every function known
 * to receive asynchronous events, each judged over the header's range (lib/core/triggers/source-health.ts),
 * worst first.
 *
 * Cost: the collector's region-wide mapping listing when it is within STORED_LISTING_MAX_AGE_MS (no request);
 * otherwise one paged ListEventSourceMappings (no FunctionName) per region, cached like the function page's
 * triggers; everything else is the collector's store — IteratorAge and AsyncEventsDropped per bucket, and the
 * dead-letter queues it stored with each configuration. No GetPolicy per function: async functions are the ones
 * the store saw drop events, or with a stored dead-letter queue.
 *
 * Per account-region (a Scope): every AWS call goes through that account's role, every store read stays in that
 * account-region, and each row names its account (two accounts' same-named functions are two rows).
 *
 * Each scope settles on its own: a scope AWS does not answer is reported in `failures` and the others shown.
 * Its store-only async rows are still shown, since they need no AWS call. A store that cannot be read fails the
 * whole answer (the page says why): without it no row can be judged.
 */
import { systemClock } from "@/lib/config/clock";
import "server-only";
import { lambdaFor, type FunctionMapping, type LambdaFleetTriggersPort } from "@/lib/aws/lambda";
import { env } from "@/lib/config/env";
import type { AccountId, AccountTarget } from "@/lib/core/accounts";
import { scopeKey, type Scope } from "@/lib/core/accounts/scope";
import { toOutcomeError, type OutcomeError } from "@/lib/core/errors";
import { resolutionsDividing } from "@/lib/core/rollup/tiling";
import { parseVersionRowKey, REGION_ROW, type MetricRollup, type Resolution } from "@/lib/core/rollup/types";
import type { RangeBucket } from "@/lib/core/time/bucket";
import {
  compareTrouble,
  judgeAsync,
  judgeMapping,
  type SourceBucket,
  type SourceJudgement,
} from "@/lib/core/triggers/source-health";
import { sourceName } from "@/lib/core/triggers/source";
import type { SourceKind } from "@/lib/core/triggers/types";
import { store } from "@/lib/store";
import type { InventoryStore } from "@/lib/store/inventory";
import type { TelemetryStore } from "@/lib/store/telemetry";
import type { TriggerStore } from "@/lib/store/triggers";
import { targetFor } from "./account-scopes";
import { createCache, type Cache } from "./cache";
import { STORED_LISTING_MAX_AGE_MS } from "./triggers";

export interface FleetSourcesDeps {
  /** The Lambda port of `region` in `account` (null: the console's own credentials). */
  lambda: (region: string, account: AccountTarget | null) => LambdaFleetTriggersPort;
  /**
   * The account a scope names (lib/data/account-scopes.ts's targetFor): whose role lists its mappings. Absent:
   * every scope is read with the console's own credentials (one account, as in tests against one sandbox account).
   */
  target?: (id: AccountId) => Promise<AccountTarget>;
  telemetry: () => Pick<TelemetryStore, "metricTotals" | "metricRows">;
  inventory: () => Pick<InventoryStore, "functions">;
  cache: Cache<unknown>;
  /** The collector's region-wide listings; without them (or stale) each region is listed live. */
  triggers?: () => Pick<TriggerStore, "listing">;
  now?: () => number;
}

let defaultCache: Cache<unknown> | undefined;
const defaultDeps = (): FleetSourcesDeps => {
  defaultCache ??= createCache({ ttlMs: env().cacheTtlSeconds * 1000, maxEntries: 50 });
  return {
    lambda: lambdaFor,
    target: targetFor,
    telemetry: () => store().telemetry,
    inventory: () => store().inventory,
    cache: defaultCache,
    triggers: () => store().triggers,
  };
};

export interface SourceRow {
  account: string;
  region: string;
  functionName: string;
  /** The alias or version a mapping invokes; null for the unqualified function or an async row. */
  qualifier: string | null;
  kind: SourceKind | "async";
  /** The queue, stream or table; for an async row, "asynchronous invocation". */
  sourceName: string;
  /** A mapping's UUID; null for an async row. */
  uuid: string | null;
  /** A mapping's state; "—" for an async row (it has none). */
  state: string;
  batchSize: number | null;
  judgement: SourceJudgement;
}

export interface FleetSources {
  /** Worst first across regions. */
  rows: SourceRow[];
  /** Account-regions whose mappings could not be listed: their mappings are missing from `rows`. */
  failures: { account: string; region: string; error: OutcomeError }[];
  /** The store resolution the series were read at (seconds). */
  resolution: Resolution;
  /** Account-regions whose mappings this view asked AWS for, answered or not (0 when all came from the cache). */
  awsListings: number;
  /** Account-regions whose mappings came from the collector's listing, and when it listed them. */
  collected: { account: string; region: string; listedAt: number }[];
}

/** The coarsest stored tier that divides the range's period: few rows, same points the charts show. */
const resolutionFor = (bucket: RangeBucket): Resolution => resolutionsDividing(bucket.period).at(-1) ?? 60;

const asBuckets = (rows: readonly MetricRollup[]): SourceBucket[] =>
  rows.map((r) => ({
    t: r.t,
    iteratorAgeMaxMs: r.iteratorAgeMax,
    asyncDropped: r.asyncDropped,
    deliveryFailures:
      r.destinationFailures === null && r.deadLetterErrors === null
        ? null
        : (r.destinationFailures ?? 0) + (r.deadLetterErrors ?? 0),
  }));

interface RegionRead {
  rows: SourceRow[];
  failure: OutcomeError | null;
  listed: boolean;
  /** When the collector listed the mappings shown, or null when they were listed live. */
  collectedAt: number | null;
}

/**
 * The region's mappings: the collector's listing when fresh (`onStored` gets its time), else from the cache when a
 * viewer listed them within its TTL; `onListing` marks a call.
 */
async function listMappings(
  deps: FleetSourcesDeps,
  scope: Scope,
  onListing: () => void,
  onStored: (listedAt: number) => void,
): Promise<readonly FunctionMapping[]> {
  const stored = await deps.triggers?.().listing(scope);
  if (stored && (deps.now ?? systemClock.now)() - stored.listedAt <= STORED_LISTING_MAX_AGE_MS) {
    onStored(stored.listedAt);
    return stored.mappings;
  }
  return (await deps.cache.get(`event-source-mappings:all|${scopeKey(scope)}`, async () => {
    const target = deps.target ? await deps.target(scope.account) : null;
    onListing();
    return deps.lambda(scope.region, target).listAllEventSourceMappings();
  })) as FunctionMapping[];
}

async function readRegion(deps: FleetSourcesDeps, scope: Scope, bucket: RangeBucket): Promise<RegionRead> {
  const { account, region } = scope;
  const res = resolutionFor(bucket);
  const telemetry = deps.telemetry();
  // One read per function, kept as a promise: a function with several mappings is read once, all side by side.
  const seriesCache = new Map<string, Promise<SourceBucket[]>>();
  const seriesOf = (fn: string) => {
    let s = seriesCache.get(fn);
    if (!s)
      seriesCache.set(
        fn,
        (s = telemetry.metricRows(scope, res, bucket.start, bucket.end, fn).then(asBuckets)),
      );
    return s;
  };

  const rows: SourceRow[] = [];
  let failure: OutcomeError | null = null;
  let listed = false;
  let collectedAt: number | null = null;
  try {
    const mappings = await listMappings(
      deps,
      scope,
      () => (listed = true),
      (at) => (collectedAt = at),
    );
    const judged = await Promise.all(
      mappings.map(async ({ functionName, qualifier, mapping }): Promise<SourceRow> => ({
        account,
        region,
        functionName,
        qualifier,
        kind: mapping.kind,
        sourceName: sourceName(mapping.sourceArn),
        uuid: mapping.uuid,
        state: mapping.state,
        batchSize: mapping.batchSize,
        judgement: judgeMapping(mapping, await seriesOf(functionName)),
      })),
    );
    rows.push(...judged);
  } catch (e) {
    failure = toOutcomeError(e);
  }

  const [totals, functions] = await Promise.all([
    telemetry.metricTotals(scope, res, bucket.start, bucket.end),
    deps.inventory().functions(scope),
  ]);
  const dropping = totals
    .filter(
      (t) =>
        t.fn !== REGION_ROW &&
        parseVersionRowKey(t.fn) === null &&
        (t.asyncDropped > 0 || (t.destinationFailures ?? 0) > 0 || (t.deadLetterErrors ?? 0) > 0),
    )
    .map((t) => t.fn);
  const deadLetters = new Map(functions.map((f) => [f.config.name, f.config.deadLetterTarget] as const));
  const withDlq = [...deadLetters].filter(([, dlq]) => dlq).map(([name]) => name);
  const asyncRows = await Promise.all(
    [...new Set([...dropping, ...withDlq])].map(async (fn): Promise<SourceRow> => ({
      account,
      region,
      functionName: fn,
      qualifier: null,
      kind: "async",
      sourceName: "asynchronous invocation",
      uuid: null,
      state: "—",
      batchSize: null,
      judgement: judgeAsync({ deadLetterTarget: deadLetters.get(fn) }, await seriesOf(fn)),
    })),
  );
  rows.push(...asyncRows);
  return { rows, failure, listed, collectedAt };
}

const byTrouble = (a: SourceRow, b: SourceRow) =>
  compareTrouble(a.judgement, b.judgement) ||
  a.functionName.localeCompare(b.functionName) ||
  a.account.localeCompare(b.account) ||
  a.region.localeCompare(b.region);

/**
 * Every source of the given account-regions over `bucket`, worst first. Never throws for AWS (an account whose
 * role cannot be assumed included): see `failures`.
 */
export async function getFleetSources(
  scopes: readonly Scope[],
  bucket: RangeBucket,
  deps: FleetSourcesDeps = defaultDeps(),
): Promise<FleetSources> {
  const reads = await Promise.all(scopes.map((s) => readRegion(deps, s, bucket)));
  const at = (i: number) => ({ account: scopes[i]!.account, region: scopes[i]!.region });
  return {
    rows: reads.flatMap((r) => r.rows).sort(byTrouble),
    failures: reads.flatMap((r, i) => (r.failure ? [{ ...at(i), error: r.failure }] : [])),
    resolution: resolutionFor(bucket),
    awsListings: reads.filter((r) => r.listed).length,
    collected: reads.flatMap((r, i) =>
      r.collectedAt === null ? [] : [{ ...at(i), listedAt: r.collectedAt }],
    ),
  };
}

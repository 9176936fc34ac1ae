/**
 * Deployment markers for a function's charts and the fleet's, read from the store only (0 AWS requests): the
 * inventory's $LATEST configuration, the published versions' configurations the inventory listing keeps
 * (version-configs), and the audit log's applied alias changes. The pure builders
 * (lib/core/charts/deploy-markers.ts) decide what is drawn and where.
 *
 * What the store cannot date is not drawn: a version whose configuration is not stored (listed more than
 * VERSION_CONFIG_MAX_AGE_MS ago, or not yet), an earlier $LATEST change (only the current configuration is kept),
 * an alias changed outside the console (no audit entry; the inventory holds only its current routing), and a
 * function the collector has not listed (nothing about it is stored).
 */
import "server-only";
import { systemClock } from "@/lib/config/clock";
import {
  fleetMarkers,
  functionMarkers,
  type ChartMarker,
  type FunctionChangeRecords,
  type MarkerWindow,
} from "@/lib/core/charts/deploy-markers";
import { scopeKey, type FunctionRef, type Scope } from "@/lib/core/accounts/scope";
import { settle, type Outcome } from "@/lib/core/errors";
import type { FunctionConfig } from "@/lib/core/lambda/types";
import type { RangeBucket } from "@/lib/core/time/bucket";
import type { AuditEntry } from "@/lib/core/traffic/audit";
import type { EpochMs } from "@/lib/core/units";
import { store } from "@/lib/store";
import { createCache, type Cache } from "../cache";
import type { AuditLog } from "@/lib/store/audit-log";
import type { InventoryEntry, InventoryStore } from "@/lib/store/inventory";
import { versionArn, type VersionConfigStore } from "@/lib/store/version-configs";

/** The parts of the store markers read. */
export interface MarkerReader {
  inventory: Pick<InventoryStore, "get" | "functions" | "account">;
  versionConfigs: Pick<VersionConfigStore, "get">;
  audit: Pick<AuditLog, "list">;
}

export interface MarkerDeps {
  store: () => MarkerReader;
  now: () => EpochMs;
  /** An account-region's listed functions with their version configurations, by the listing that wrote them. */
  inventoryCache: Cache<RegionInventory>;
}

/**
 * Kept until the collector lists the region again (the key changes) or 10 minutes pass (version configurations
 * age out of the store by read time, so a stale entry must not live forever).
 */
const INVENTORY_TTL_MS = 10 * 60_000;

const defaults: MarkerDeps = {
  store,
  now: () => systemClock.now(),
  inventoryCache: createCache({ ttlMs: INVENTORY_TTL_MS, maxEntries: 64 }),
};

/**
 * The audit log keeps every attempt; reads are bounded by the window in SQL first, so this cap only guards a
 * window holding more entries than a chart could show.
 */
const AUDIT_LIMIT = 10_000;

/** A region's listed functions and every stored configuration of their published versions, by ARN. */
export interface RegionInventory {
  entries: readonly InventoryEntry[];
  configs: ReadonlyMap<string, FunctionConfig>;
}

/** Reads (and JSON-parses) every stored version configuration of the region's listed functions in one query. */
export async function readRegionInventory(
  reader: MarkerReader,
  scope: Scope,
  now: EpochMs,
): Promise<RegionInventory> {
  const entries = await reader.inventory.functions(scope);
  const arns = entries.flatMap((e) => e.publishedVersions.map((v) => versionArn(e.config, v)));
  return { entries, configs: await reader.versionConfigs.get(arns, now) };
}

/**
 * What a region's inventory cache entry depends on: the collector's last listing of it (putConfigs, retain and
 * putAccount share one timestamp), read from one row. "-" while the region was never listed.
 */
export async function inventoryStamp(reader: MarkerReader, scope: Scope): Promise<string> {
  return `${scopeKey(scope)}|${(await reader.inventory.account(scope))?.listedAt ?? "-"}`;
}

// The shape lib/url/function-href.ts writes (lib/data may not import lib/url): the account names the function too.
const accountQuery = (f: FunctionRef) => `?account=${encodeURIComponent(f.account)}`;
const functionHref = (f: FunctionRef) =>
  `/functions/${encodeURIComponent(f.region)}/${encodeURIComponent(f.name)}${accountQuery(f)}`;
const aliasHref = (f: FunctionRef) => (alias: string) =>
  `/traffic/${encodeURIComponent(f.region)}/${encodeURIComponent(f.name)}/${encodeURIComponent(alias)}${accountQuery(f)}`;

/** Each listed function's records. */
function regionRecords(
  scope: Scope,
  { entries, configs }: RegionInventory,
  audit: readonly AuditEntry[],
): { name: string; records: FunctionChangeRecords }[] {
  const byFunction = new Map<string, AuditEntry[]>();
  for (const a of audit) byFunction.set(a.functionName, [...(byFunction.get(a.functionName) ?? []), a]);
  return entries.map((e) => ({
    name: e.config.name,
    records: {
      latest: e.config,
      versions: e.publishedVersions.flatMap((v) => configs.get(versionArn(e.config, v)) ?? []),
      audit: byFunction.get(e.config.name) ?? [],
      functionHref: functionHref({ ...scope, name: e.config.name }),
      aliasHref: aliasHref({ ...scope, name: e.config.name }),
    },
  }));
}

/** One function's markers inside the window; none for a function the collector has not listed. */
export async function readFunctionMarkers(
  reader: MarkerReader,
  scope: Scope,
  name: string,
  window: MarkerWindow,
  now: EpochMs,
): Promise<ChartMarker[]> {
  const [entry, audit] = await Promise.all([
    reader.inventory.get(scope, name),
    reader.audit.list({
      account: scope.account,
      region: scope.region,
      functionName: name,
      from: window.start,
      to: window.end,
      limit: AUDIT_LIMIT,
    }),
  ]);
  if (!entry) return [];
  const arns = entry.publishedVersions.map((v) => versionArn(entry.config, v));
  const inventory = { entries: [entry], configs: await reader.versionConfigs.get(arns, now) };
  const [one] = regionRecords(scope, inventory, audit);
  return one ? functionMarkers(one.records, window) : [];
}

/**
 * The fleet's markers over the bucket: every listed function of the scopes, grouped per chart slot. The
 * scopes' inventories come from `inventoryOf` (loadFleetMarkers passes cached ones); the audit is read per call,
 * bounded by the window in SQL, so an alias change made a moment ago shows at the next view.
 */
export async function readFleetMarkers(
  reader: MarkerReader,
  scopes: readonly Scope[],
  bucket: MarkerWindow & { period: number },
  now: EpochMs,
  inventoryOf: (scope: Scope) => Promise<RegionInventory> = (scope) =>
    readRegionInventory(reader, scope, now),
): Promise<ChartMarker[]> {
  const window = { start: bucket.start, end: bucket.end };
  const perScope = await Promise.all(
    scopes.map((scope) =>
      Promise.all([
        reader.audit.list({
          account: scope.account,
          region: scope.region,
          from: window.start,
          to: window.end,
          limit: AUDIT_LIMIT,
        }),
        inventoryOf(scope),
      ]),
    ),
  );
  const label = markerLabel(scopes);
  const perFunction = scopes.flatMap((scope, i) => {
    const [audit, inventory] = perScope[i]!;
    return regionRecords(scope, inventory, audit).map((f) => ({
      name: label(scope, f.name),
      markers: functionMarkers(f.records, window),
    }));
  });
  return fleetMarkers(perFunction, { ...window, stepMs: bucket.period * 1000 });
}

/**
 * How a marker names its function: two regions, or two accounts, may hold functions of one name, so the name
 * is prefixed by what tells them apart (the region, and the account when several are read).
 */
export function markerLabel(scopes: readonly Scope[]): (scope: Scope, name: string) => string {
  const accounts = new Set(scopes.map((s) => s.account)).size;
  const regions = new Set(scopes.map((s) => s.region)).size;
  return (scope, name) =>
    accounts > 1
      ? `${scope.account}/${scope.region}/${name}`
      : regions > 1
        ? `${scope.region}/${name}`
        : name;
}

/**
 * A function's markers over a chart's window (the page's bucket, or the alias page's verdict window), settled:
 * a store failure degrades the markers only, never the charts.
 */
export function loadFunctionMarkers(
  scope: Scope,
  name: string,
  window: MarkerWindow,
  deps: MarkerDeps = defaults,
): Promise<Outcome<ChartMarker[]>> {
  return settle(
    Promise.resolve().then(() =>
      readFunctionMarkers(deps.store(), scope, name, { start: window.start, end: window.end }, deps.now()),
    ),
  );
}

/**
 * The fleet overview's grouped markers, settled likewise. Each account-region's inventory and version
 * configurations are read once per collector listing (inventoryStamp), not on every view and auto-refresh tick.
 */
export function loadFleetMarkers(
  scopes: readonly Scope[],
  bucket: RangeBucket,
  deps: MarkerDeps = defaults,
): Promise<Outcome<ChartMarker[]>> {
  return settle(
    Promise.resolve().then(async () => {
      const reader = deps.store();
      const now = deps.now();
      const inventories = await Promise.all(
        scopes.map(async (scope) =>
          deps.inventoryCache.get(await inventoryStamp(reader, scope), () =>
            readRegionInventory(reader, scope, now),
          ),
        ),
      );
      const byScope = new Map(scopes.map((scope, i) => [scopeKey(scope), inventories[i]!]));
      return readFleetMarkers(reader, scopes, bucket, now, async (scope) => byScope.get(scopeKey(scope))!);
    }),
  );
}

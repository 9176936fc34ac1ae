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
import { settle, type Outcome } from "@/lib/core/errors";
import type { RangeBucket } from "@/lib/core/time/bucket";
import type { AuditEntry } from "@/lib/core/traffic/audit";
import type { EpochMs } from "@/lib/core/units";
import { store } from "@/lib/store";
import type { AuditLog } from "@/lib/store/audit-log";
import type { InventoryEntry, InventoryStore } from "@/lib/store/inventory";
import { versionArn, type VersionConfigStore } from "@/lib/store/version-configs";

/** The parts of the store markers read. */
export interface MarkerReader {
  inventory: Pick<InventoryStore, "get" | "functions">;
  versionConfigs: Pick<VersionConfigStore, "get">;
  audit: Pick<AuditLog, "list">;
}

export interface MarkerDeps {
  store: () => MarkerReader;
  now: () => EpochMs;
}

const defaults: MarkerDeps = { store, now: () => systemClock.now() };

/** The audit log keeps every attempt; this many newest entries per read is far more than a chart can show. */
const AUDIT_LIMIT = 10_000;

const functionHref = (region: string, name: string) =>
  `/functions/${encodeURIComponent(region)}/${encodeURIComponent(name)}`;
const aliasHref = (region: string, name: string) => (alias: string) =>
  `/traffic/${encodeURIComponent(region)}/${encodeURIComponent(name)}/${encodeURIComponent(alias)}`;

/** Each listed function's records, reading every stored version configuration of the region in one query. */
function regionRecords(
  reader: MarkerReader,
  region: string,
  entries: readonly InventoryEntry[],
  audit: readonly AuditEntry[],
  now: EpochMs,
): { name: string; records: FunctionChangeRecords }[] {
  const arns = entries.flatMap((e) => e.publishedVersions.map((v) => versionArn(e.config, v)));
  const configs = reader.versionConfigs.get(arns, now);
  const byFunction = new Map<string, AuditEntry[]>();
  for (const a of audit) byFunction.set(a.functionName, [...(byFunction.get(a.functionName) ?? []), a]);
  return entries.map((e) => ({
    name: e.config.name,
    records: {
      latest: e.config,
      versions: e.publishedVersions.flatMap((v) => configs.get(versionArn(e.config, v)) ?? []),
      audit: byFunction.get(e.config.name) ?? [],
      functionHref: functionHref(region, e.config.name),
      aliasHref: aliasHref(region, e.config.name),
    },
  }));
}

/** One function's markers inside the window; none for a function the collector has not listed. */
export function readFunctionMarkers(
  reader: MarkerReader,
  region: string,
  name: string,
  window: MarkerWindow,
  now: EpochMs,
): ChartMarker[] {
  const entry = reader.inventory.get(region, name);
  if (!entry) return [];
  const audit = reader.audit.list({ region, functionName: name, limit: AUDIT_LIMIT });
  const [one] = regionRecords(reader, region, [entry], audit, now);
  return one ? functionMarkers(one.records, window) : [];
}

/** The fleet's markers over the bucket: every listed function of the regions, grouped per chart slot. */
export function readFleetMarkers(
  reader: MarkerReader,
  regions: readonly string[],
  bucket: MarkerWindow & { period: number },
  now: EpochMs,
): ChartMarker[] {
  const window = { start: bucket.start, end: bucket.end };
  const perFunction = regions.flatMap((region) => {
    const audit = reader.audit
      .list({ region, limit: AUDIT_LIMIT })
      .filter((a) => a.at >= window.start && a.at < window.end);
    return regionRecords(reader, region, reader.inventory.functions(region), audit, now).map((f) => ({
      // Two regions may hold functions of one name: the region tells them apart in the list.
      name: regions.length > 1 ? `${region}/${f.name}` : f.name,
      markers: functionMarkers(f.records, window),
    }));
  });
  return fleetMarkers(perFunction, { ...window, stepMs: bucket.period * 1000 });
}

/**
 * A function's markers over a chart's window (the page's bucket, or the alias page's verdict window), settled:
 * a store failure degrades the markers only, never the charts.
 */
export function loadFunctionMarkers(
  region: string,
  name: string,
  window: MarkerWindow,
  deps: MarkerDeps = defaults,
): Promise<Outcome<ChartMarker[]>> {
  return settle(
    Promise.resolve().then(() =>
      readFunctionMarkers(deps.store(), region, name, { start: window.start, end: window.end }, deps.now()),
    ),
  );
}

/** The fleet overview's grouped markers, settled likewise. */
export function loadFleetMarkers(
  regions: readonly string[],
  bucket: RangeBucket,
  deps: MarkerDeps = defaults,
): Promise<Outcome<ChartMarker[]>> {
  return settle(Promise.resolve().then(() => readFleetMarkers(deps.store(), regions, bucket, deps.now())));
}

/**
 * The previous period of a telemetry view (`?compare=1d|1w`): the same range one day or one week earlier, read
 * from the store exactly as the view itself reads it (function-store.ts for a function, the overview's store
 * path for the fleet), on the same grid. 0 AWS requests: a range the store did not collect is a gap, never a
 * live read. The charts move the points onto the current window (lib/core/charts/previous-period.ts).
 *
 * Invariants:
 * - The earlier bucket keeps the current one's period and length (previousBucket), so every series has the
 *   current grid's length once shifted. When retention keeps the earlier window only at a coarser period, the
 *   read fails with that reason (the panel shows it) instead of reading rows that are gone.
 * - `share` and `note` come from the coverage of the same reads the series come from: the note never claims
 *   more than was read.
 */
import "server-only";
import {
  coverageNote,
  coveredShare,
  previousBucket,
  type CompareShift,
} from "@/lib/core/charts/previous-period";
import { settle, type Outcome } from "@/lib/core/errors";
import type { Scope } from "@/lib/core/accounts/scope";
import type { SourceCoverage } from "@/lib/core/rollup/coverage";
import type { RangeBucket } from "@/lib/core/time/bucket";
import type { FleetMetrics } from "./assemble";
import { cached, defaultTelemetryDeps, type TelemetryDeps } from "./deps";
import { storeFunctionRead, type StoreFunctionMetrics } from "./function-store";
import { startFleetOverview, type OverviewScope } from "./overview";
import { coverageSignature } from "./store-source";

export interface PreviousPeriod<T> {
  shift: CompareShift;
  /** The earlier window's series, on its own grid (shift them onto the current one to draw). */
  data: T;
  /** The least-covered source's share of the earlier window; null when nothing was read. */
  share: number | null;
  /** "1 day earlier: metrics 62 %, REPORT lines 40 % of the range collected; …" for the panel. */
  note: string;
  coverage: SourceCoverage[];
}

const periodOf = <T>(shift: CompareShift, data: T, coverage: SourceCoverage[]): PreviousPeriod<T> => {
  const share = coveredShare(coverage);
  return { shift, data, share, note: coverageNote(shift, coverage), coverage };
};

/** One function's metrics panel series over the earlier window, from the store. */
export function loadPreviousFunctionMetrics(
  scope: Scope,
  fn: { name: string; logGroup: string },
  bucket: RangeBucket,
  shift: CompareShift,
  deps: TelemetryDeps = defaultTelemetryDeps(),
): Promise<Outcome<PreviousPeriod<StoreFunctionMetrics>>> {
  return settle(
    Promise.resolve().then(async () => {
      const earlier = previousBucket(bucket, shift, deps.now());
      const reader = deps.store();
      // Keyed by the coverage stamp: a backfill reaching the earlier window is seen at the next view.
      const key = `store:previous-metrics:${fn.name}:${fn.logGroup}|${await coverageSignature(reader, scope)}`;
      return cached(deps, scope, key, earlier, async () => {
        const m = await storeFunctionRead(reader, scope, fn, earlier).metrics();
        return periodOf(shift, m, m.coverage);
      });
    }),
  );
}

/** The fleet's metrics panel series over the earlier window, from the store (the overview's own path). */
export function loadPreviousFleetMetrics(
  scopes: readonly OverviewScope[],
  bucket: RangeBucket,
  shift: CompareShift,
  deps: TelemetryDeps = defaultTelemetryDeps(),
): Promise<Outcome<PreviousPeriod<FleetMetrics | null>>> {
  return settle(
    Promise.resolve().then(() =>
      startFleetOverview(scopes, previousBucket(bucket, shift, deps.now()), deps, {
        source: "store",
      }).metrics.then((panel) => periodOf(shift, panel.fleet, panel.status.coverage)),
    ),
  );
}

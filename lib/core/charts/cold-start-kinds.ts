/**
 * The cold-start chart split by kind: INIT (REPORT lines with an Init Duration) and SnapStart restore (REPORT
 * lines with a Restore Duration, the rollup's `restores`), each as a share of the REPORT lines of its slot.
 *
 * Invariants:
 * - All series share one grid (prepareSeries); a rate is null where its slot had no REPORT line.
 * - A slot whose restores were not collected (rows written before the collector read Restore Duration) is a gap
 *   on the restore line, never 0, and `restoreNote` says so. A function without any restore and with every slot
 *   collected gets no restore line at all (nothing to split).
 */
import { STATUS_COLORS } from "./colors";
import { ratioSeries, type SeriesPoint } from "./series";

/** Restores: a colour apart from INIT's (violet, as on the request page's Restore phase). */
export const RESTORE_COLOR = "#6A3D9A";

export interface ColdStartKindLine {
  key: "init" | "restore";
  label: string;
  color: string;
  points: SeriesPoint[];
}

export interface ColdStartKinds {
  lines: ColdStartKindLine[];
  /** Why restores are absent (or partly absent) from the chart; null when they are fully known. */
  restoreNote: string | null;
}

/**
 * `inits`, `restores` and `reports`: per-slot counts on one grid. `restores` is null where the slot's restores
 * were not collected (a gauge-prepared series: no value is no knowledge).
 */
export function coldStartKinds(input: {
  inits: readonly SeriesPoint[];
  restores: readonly SeriesPoint[];
  reports: readonly SeriesPoint[];
}): ColdStartKinds {
  const { inits, restores, reports } = input;
  const hadReports = (i: number) => (reports[i]?.v ?? 0) > 0;
  const unknown = restores.filter((p, i) => p.v === null && hadReports(i)).length;
  const withReports = reports.filter((p) => (p.v ?? 0) > 0).length;
  const anyRestore = restores.some((p) => (p.v ?? 0) > 0);
  const lines: ColdStartKindLine[] = [
    {
      key: "init",
      label: "Init cold starts",
      color: STATUS_COLORS.coldStarts,
      points: ratioSeries(inits, reports),
    },
  ];
  if (anyRestore || (unknown > 0 && unknown < withReports)) {
    lines.push({
      key: "restore",
      label: "SnapStart restores",
      color: RESTORE_COLOR,
      points: ratioSeries(restores, reports),
    });
  }
  let restoreNote: string | null = null;
  if (unknown > 0 && unknown === withReports) {
    restoreNote =
      "SnapStart restores were not collected for this range (stored before the collector read Restore Duration): only init cold starts are drawn.";
  } else if (unknown > 0) {
    restoreNote = `SnapStart restores were not collected for ${unknown} of ${withReports} points (stored before the collector read Restore Duration): gaps on that line.`;
  }
  return { lines, restoreNote };
}

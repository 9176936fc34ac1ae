/**
 * Side-by-side charts of a traffic shift: error rate and p99 per minute, one line per version (stable vs new).
 *
 * Invariants: every line has one point per input minute, in order; error rate is errors / invocations and a
 * gap (null) in a minute without invocations, never 0 %; p99 passes through as given (null stays a gap).
 */
import type { SeriesPoint } from "../charts/series";
import { epochMs, type EpochMs, type Ms } from "../units";

export interface VersionMinutes {
  version: string;
  minutes: readonly { t: EpochMs; invocations: number; errors: number; p99: Ms | null }[];
}

export interface VersionLine {
  version: string;
  /** "stable" is the alias's primary version; "new" the additional one. */
  role: "stable" | "new";
  points: SeriesPoint[];
}

export interface VersionCharts {
  errorRate: VersionLine[];
  p99: VersionLine[];
}

export function versionCharts(primaryVersion: string, versions: readonly VersionMinutes[]): VersionCharts {
  const role = (v: string) => (v === primaryVersion ? "stable" : "new");
  return {
    errorRate: versions.map((v) => ({
      version: v.version,
      role: role(v.version),
      points: v.minutes.map((m) => ({
        t: epochMs(m.t),
        v: m.invocations > 0 ? m.errors / m.invocations : null,
      })),
    })),
    p99: versions.map((v) => ({
      version: v.version,
      role: role(v.version),
      points: v.minutes.map((m) => ({ t: epochMs(m.t), v: m.p99 })),
    })),
  };
}

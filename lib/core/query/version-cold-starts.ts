/**
 * Cold starts per function version from Logs Insights. Lambda names every log stream
 * `YYYY/MM/DD/[<version>]<environment id>`, so the version an environment ran is in `@logStream`, and a REPORT
 * line with an init duration is a cold start of that version. There is no metric for this (ExecutedVersion has
 * no cold-start dimension), so logs are the only source.
 *
 * Invariants:
 * - Nothing user-supplied is interpolated: the query depends only on the log format.
 * - Counts come from the same REPORT lines, so 0 ≤ coldStarts ≤ invocations for every version; a row that
 *   breaks that, or has no version, is dropped rather than shown wrong.
 * - The counts cover every invocation of the version in the log group (any alias or direct qualifier), which
 *   is why the rate is coldStarts / REPORT invocations of the same query, not / the alias's Invocations metric.
 */
import { z } from "zod";
import type { LogFormat } from "../lambda/types";
import { ratio, type Ratio } from "../units";
import { insightsNumber, type InsightsRow } from "./insights-rows";
import { reportFields } from "./telemetry-insights";

export function versionColdStartsQuery(format: LogFormat): string {
  const f = reportFields(format);
  return [
    f.filter,
    'parse @logStream "[*]" as version',
    `stats count(*) as invocations, count(${f.init}) as coldStarts by version`,
  ].join("\n| ");
}

export interface VersionColdStarts {
  version: string;
  /** REPORT lines of this version in the window. */
  invocations: number;
  coldStarts: number;
  /** coldStarts / invocations; null without invocations. */
  rate: Ratio | null;
}

const row = z.object({
  version: z.string().regex(/^(\$LATEST|[1-9]\d*)$/),
  invocations: insightsNumber,
  // count() of a field no row has may be omitted: no cold start.
  coldStarts: insightsNumber.optional(),
});

/** Rows of `versionColdStartsQuery` → one entry per requested version (zero when the logs have none). */
export function readVersionColdStarts(
  rows: readonly InsightsRow[],
  versions: readonly string[],
): VersionColdStarts[] {
  const byVersion = new Map<string, { invocations: number; coldStarts: number }>();
  for (const r of rows) {
    const p = row.safeParse(r);
    if (!p.success) continue;
    const coldStarts = p.data.coldStarts ?? 0;
    if (coldStarts > p.data.invocations) continue;
    // Several query chunks may each report a version: counts add up.
    const acc = byVersion.get(p.data.version) ?? { invocations: 0, coldStarts: 0 };
    byVersion.set(p.data.version, {
      invocations: acc.invocations + p.data.invocations,
      coldStarts: acc.coldStarts + coldStarts,
    });
  }
  return versions.map((version) => {
    const c = byVersion.get(version) ?? { invocations: 0, coldStarts: 0 };
    return { version, ...c, rate: c.invocations > 0 ? ratio(c.coldStarts / c.invocations) : null };
  });
}

/**
 * Cold starts per function version from Logs Insights. Lambda names every log stream
 * `YYYY/MM/DD/[<version>]<environment id>`, so the version an environment ran is in `@logStream`, and a REPORT
 * line with an init duration is a cold start of that version. There is no metric for this (ExecutedVersion has
 * no cold-start dimension), so logs are the only source.
 *
 * Invariants:
 * - Nothing user-supplied is interpolated: the query depends only on the log format.
 * - Counts come from the same REPORT lines, so 0 ≤ coldStarts ≤ invocations for every version. Rows follow the
 *   stats-row rule of insights-rows.ts (both counts in every row); a row that breaks it (a missing, renamed or
 *   non-numeric field, more cold starts than invocations) makes the answer unreadable: the reader throws
 *   "Unavailable" with the reason, and the panel says so instead of showing 0.
 * - A row without a version, or whose `[…]` is not a version, comes from a stream not named the Lambda way (a
 *   custom group's other writers): not this function's REPORT lines, so it is skipped, not an error.
 * - The counts cover every invocation of the version in the log group (any alias or direct qualifier), which
 *   is why the rate is coldStarts / REPORT invocations of the same query, not / the alias's Invocations metric.
 */
import { z } from "zod";
import type { LogFormat } from "../lambda/types";
import { ratio, type Ratio } from "../units";
import { insightsCount, readAllRows, readStatsRow, type InsightsRow, type StatsShape } from "./insights-rows";
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

const VERSION = /^(\$LATEST|[1-9]\d*)$/;

const SHAPE: StatsShape = {
  always: ["invocations", "coldStarts"],
  // The group key: absent when the stream name has no `[…]`.
  optional: ["version"],
  bounded: { coldStarts: "invocations" },
};

const row = z.object({
  version: z.string().optional(),
  invocations: insightsCount,
  coldStarts: insightsCount,
});

/**
 * Rows of `versionColdStartsQuery` → one entry per requested version (zero when the logs have none); throws
 * "Unavailable" with the reason when a row is unreadable.
 */
export function readVersionColdStarts(
  rows: readonly InsightsRow[],
  versions: readonly string[],
): VersionColdStarts[] {
  const byVersion = new Map<string, { invocations: number; coldStarts: number }>();
  for (const p of readAllRows(rows, (r) => readStatsRow(r, SHAPE, row))) {
    if (p.version === undefined || !VERSION.test(p.version)) continue;
    // Several query chunks may each report a version: counts add up.
    const acc = byVersion.get(p.version) ?? { invocations: 0, coldStarts: 0 };
    byVersion.set(p.version, {
      invocations: acc.invocations + p.invocations,
      coldStarts: acc.coldStarts + p.coldStarts,
    });
  }
  return versions.map((version) => {
    const c = byVersion.get(version) ?? { invocations: 0, coldStarts: 0 };
    return { version, ...c, rate: c.invocations > 0 ? ratio(c.coldStarts / c.invocations) : null };
  });
}

/**
 * REPORT aggregates of closed minutes through Logs Insights: one query per ≤ 50 log groups of one format over a
 * window, split in halves (by time, then by groups) whenever an answer may have been cut at Insights' row limit.
 *
 * Invariants:
 * - A window is either read whole (every group, every minute) or the call fails: the caller advances its
 *   coverage only on success, so a failure loses no minute — it is read again later.
 * - An answer with unreadable rows is a failure ("Unavailable") that says why, never partial zeros: the window's
 *   coverage does not advance, so the store says "not collected" for it and the failure is the collector's event.
 * - Bytes scanned and requests are summed from what the adapter reports, for the cost ledger.
 */
import type { LogsPort } from "@/lib/aws/logs";
import { FleetscopeError } from "@/lib/core/errors";
import { unreadableRows } from "@/lib/core/query/insights-rows";
import type { LogFormat } from "@/lib/core/lambda/types";
import { collectorQuery, INSIGHTS_MAX_ROWS, readCollectorRows } from "@/lib/core/query/collector-insights";
import type { LogRollup, RowScope } from "@/lib/core/rollup/types";
import { epochMs } from "@/lib/core/units";
import type { InsightsScheduler } from "./scheduler";

export const MAX_GROUPS_PER_QUERY = 50;
const MINUTE = 60_000;

export interface LogGroupRef {
  logGroup: string;
  format: LogFormat;
}

export interface LogsRead {
  rollups: LogRollup[];
  requests: number;
  bytesScanned: number;
  queries: number;
  /** Groups the region does not have (deleted, or never logged): left out, said on the status page. */
  missingGroups: string[];
}

export interface ReadLogsOptions {
  deadlineMs: number;
  scheduler: InsightsScheduler;
}

function chunks(groups: readonly LogGroupRef[]): { format: LogFormat; groups: string[] }[] {
  const out: { format: LogFormat; groups: string[] }[] = [];
  for (const format of ["Text", "JSON"] as const) {
    const names = [...new Set(groups.filter((g) => g.format === format).map((g) => g.logGroup))].sort();
    for (let i = 0; i < names.length; i += MAX_GROUPS_PER_QUERY)
      out.push({ format, groups: names.slice(i, i + MAX_GROUPS_PER_QUERY) });
  }
  return out;
}

export async function readMinuteLogs(
  logs: LogsPort,
  scope: RowScope,
  groups: readonly LogGroupRef[],
  window: { start: number; end: number },
  options: ReadLogsOptions,
): Promise<LogsRead> {
  const acc: LogsRead = { rollups: [], requests: 0, bytesScanned: 0, queries: 0, missingGroups: [] };

  async function run(format: LogFormat, names: string[], start: number, end: number): Promise<void> {
    const result = await options.scheduler.run(() =>
      logs.runInsights(
        collectorQuery(format),
        names,
        { start: epochMs(start), end: epochMs(end) },
        {
          timeoutMs: options.deadlineMs, // on the port's clock, from when the query starts
          limit: INSIGHTS_MAX_ROWS,
          groupsPerQuery: MAX_GROUPS_PER_QUERY,
          onRequest: () => acc.requests++,
        },
      ),
    );
    acc.queries += result.queries;
    acc.bytesScanned += result.bytesScanned;
    acc.missingGroups.push(...result.missingGroups);
    if (result.truncated) {
      // Cut at the row limit: ask again in halves, by time while a window spans several minutes.
      if (end - start > MINUTE) {
        const mid = start + Math.floor((end - start) / 2 / MINUTE) * MINUTE;
        await run(format, names, start, mid);
        await run(format, names, mid, end);
        return;
      }
      if (names.length > 1) {
        const half = Math.ceil(names.length / 2);
        await run(format, names.slice(0, half), start, end);
        await run(format, names.slice(half), start, end);
        return;
      }
      throw new FleetscopeError(
        "Unavailable",
        `Logs Insights: one group's minute exceeds ${INSIGHTS_MAX_ROWS} rows`,
        {
          group: names[0],
        },
      );
    }
    const read = readCollectorRows(scope, format, result.rows);
    if (read.problem !== null) throw unreadableRows(read.problem, read.unreadable, result.rows.length);
    acc.rollups.push(...read.rollups.filter((r) => r.t >= start && r.t < end));
  }

  await Promise.all(chunks(groups).map((c) => run(c.format, c.groups, window.start, window.end)));
  return acc;
}

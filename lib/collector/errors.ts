/**
 * Error groups of closed minutes (lib/core/error-groups), read by the logs step right after the REPORT rollups
 * of the same window: ONE constant Logs Insights query (error-groups/query.ts) per ≤ 50 log groups, over the
 * groups of functions that failed in the window by the stored Errors metric — all groups when the metrics
 * coverage does not include the window — halving the window (then the groups) whenever an answer may be cut.
 *
 * Invariants:
 * - A window is read whole or the call fails (the logs step then does not advance its coverage, so the window,
 *   REPORT rollups included, is read again later and its rows replaced).
 * - Grouping is incremental and per minute: lines are classified and grouped here, never kept; the store gets
 *   ErrorGroupRow[] for minutes in [start, end) only.
 * - Metrics are read before logs (logLagMs > metricLagMs), so a forward window is normally covered. A failure's
 *   lines come at its end, up to the function's timeout after the minute the Errors metric counts it in: the
 *   metric is read from the window's start minus that timeout.
 * - Limitation (said in the UI): a function without a failure in the window is not scanned, so its `logged`
 *   ERROR lines (requests that did not fail) are only grouped in windows where it also failed.
 */
import type { LogsPort } from "@/lib/aws/logs";
import { classifyLine } from "@/lib/core/error-groups/classify";
import { groupErrors, type FunctionErrorEvent } from "@/lib/core/error-groups/group";
import { ERROR_QUERY, readErrorRows } from "@/lib/core/error-groups/query";
import type { ErrorGroupRow } from "@/lib/core/error-groups/types";
import { FleetscopeError } from "@/lib/core/errors";
import { INSIGHTS_MAX_ROWS } from "@/lib/core/query/collector-insights";
import { unreadableRows } from "@/lib/core/query/insights-rows";
import { epochMs } from "@/lib/core/units";
import type { InsightsScheduler } from "./scheduler";

export const MAX_GROUPS_PER_QUERY = 50;
const MINUTE = 60_000;
/** StartQuery takes whole seconds: one group's cut minute is split down to single seconds, no further. */
const MIN_SPLIT_MS = 1_000;

export interface ErrorsRead {
  rows: ErrorGroupRow[];
  /** Error-bearing lines read (after the query's filter). */
  lines: number;
  requests: number;
  bytesScanned: number;
  queries: number;
}

export interface ReadErrorsOptions {
  deadlineMs: number;
  scheduler: InsightsScheduler;
}

/** Which function each log group belongs to (a function may log to a custom group; groups may be shared). */
export type GroupOwners = ReadonlyMap<string, string>;

export async function readMinuteErrors(
  logs: LogsPort,
  region: string,
  owners: GroupOwners,
  groups: readonly string[],
  window: { start: number; end: number },
  options: ReadErrorsOptions,
): Promise<ErrorsRead> {
  const acc = { lines: 0, requests: 0, bytesScanned: 0, queries: 0 };
  const events: FunctionErrorEvent[] = [];

  async function run(names: string[], start: number, end: number): Promise<void> {
    const result = await options.scheduler.run(() =>
      logs.runInsights(
        ERROR_QUERY,
        names,
        { start: epochMs(start), end: epochMs(end) },
        {
          deadline: Date.now() + options.deadlineMs,
          limit: INSIGHTS_MAX_ROWS,
          groupsPerQuery: MAX_GROUPS_PER_QUERY,
          onRequest: () => acc.requests++,
        },
      ),
    );
    acc.queries += result.queries;
    acc.bytesScanned += result.bytesScanned;
    if (result.truncated) {
      // Cut at the row limit: ask again in halves, by time (whole minutes first), then by groups.
      if (end - start > MINUTE) {
        const mid = start + Math.floor((end - start) / 2 / MINUTE) * MINUTE;
        await run(names, start, mid);
        await run(names, mid, end);
        return;
      }
      if (names.length > 1) {
        const half = Math.ceil(names.length / 2);
        await run(names.slice(0, half), start, end);
        await run(names.slice(half), start, end);
        return;
      }
      if (end - start >= 2 * MIN_SPLIT_MS) {
        const mid = start + Math.floor((end - start) / 2 / MIN_SPLIT_MS) * MIN_SPLIT_MS;
        await run(names, start, mid);
        await run(names, mid, end);
        return;
      }
      throw new FleetscopeError(
        "Unavailable",
        `Logs Insights: one group's second exceeds ${INSIGHTS_MAX_ROWS} error lines`,
        {
          group: names[0],
        },
      );
    }
    const read = readErrorRows(result.rows);
    if (read.problem !== null) throw unreadableRows(read.problem, read.unreadable, result.rows.length);
    acc.lines += read.lines.length;
    for (const line of read.lines) {
      const fn = owners.get(line.logGroup);
      if (fn === undefined || line.atMs < start || line.atMs >= end) continue;
      const e = classifyLine(line);
      if (e) events.push({ ...e, fn });
    }
  }

  const names = [...new Set(groups)].sort();
  const chunks: string[][] = [];
  for (let i = 0; i < names.length; i += MAX_GROUPS_PER_QUERY)
    chunks.push(names.slice(i, i + MAX_GROUPS_PER_QUERY));
  await Promise.all(chunks.map((c) => run(c, window.start, window.end)));
  return { rows: groupErrors(region, events, window), ...acc };
}

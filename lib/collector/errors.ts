/**
 * Error groups of closed minutes (lib/core/error-groups), read by the collector's own errors step
 * (errors-step.ts): ONE constant Logs Insights query (lib/core/query/error-lines.ts) per ≤ 50 log groups over the
 * window widened by a lookback and a lookahead, halving the scan (by minutes, then groups, then seconds)
 * whenever an answer may be cut.
 *
 * Invariants:
 * - A request is counted in the window where its final failure line falls, and only there (group.ts): the scan
 *   reaches `lookbackMs` before the window (its earlier lines, e.g. an Invoke Error at :59.990 before its
 *   platform.report at +0.010 s) and `lookaheadMs` after it (so a request whose final line comes just after the
 *   window is left to the next one). Rows are returned for minutes in [start, end) only.
 * - Grouping is incremental and per window: lines are classified and grouped here, never kept.
 * - When a single second of one group is still cut at Insights' row limit, what was read is kept and that
 *   minute is returned in `partial` (its counts are lower bounds; the page says so); any other failure fails
 *   the call and the caller does not advance its coverage.
 * - A line's function is the one its log stream names (custom groups), else its group's only function; the lines
 *   of a shared group whose stream does not say are credited to all its functions as one (stream.ts).
 */
import type { LogsPort } from "@/lib/aws/logs";
import { classifyLine } from "@/lib/core/error-groups/classify";
import { groupErrors, type FunctionErrorEvent } from "@/lib/core/error-groups/group";
import { lineOwner, streamParts } from "@/lib/core/error-groups/stream";
import { ERROR_QUERY, readErrorRows } from "@/lib/core/query/error-lines";
import type { ErrorGroupRow } from "@/lib/core/error-groups/types";
import { INSIGHTS_MAX_ROWS } from "@/lib/core/query/collector-insights";
import { unreadableRows } from "@/lib/core/query/insights-rows";
import { epochMs } from "@/lib/core/units";
import type { InsightsScheduler } from "./scheduler";

export const MAX_GROUPS_PER_QUERY = 50;
const MINUTE = 60_000;
/** StartQuery takes whole seconds: one group's cut minute is split down to single seconds, no further. */
const MIN_SPLIT_MS = 1_000;
const floorMinute = (t: number) => Math.floor(t / MINUTE) * MINUTE;

export interface ErrorsRead {
  rows: ErrorGroupRow[];
  /** Error-bearing lines read (after the query's filter). */
  lines: number;
  requests: number;
  bytesScanned: number;
  queries: number;
  /** Minutes of [start, end) read only in part: a second of this group held more lines than Insights returns. */
  partial: { t: number; logGroup: string }[];
}

export interface ReadErrorsOptions {
  deadlineMs: number;
  scheduler: InsightsScheduler;
  /** How far before the window the scan reaches (whole minutes keep the halving on minute edges). */
  lookbackMs: number;
  /** How far after it: a request's final line comes milliseconds after its last error line. */
  lookaheadMs: number;
}

/** The functions logging to each log group (a function may log to a custom group; groups may be shared). */
export type GroupOwners = ReadonlyMap<string, readonly string[]>;

export async function readMinuteErrors(
  logs: LogsPort,
  scope: { account: string; region: string },
  owners: GroupOwners,
  groups: readonly string[],
  window: { start: number; end: number },
  options: ReadErrorsOptions,
): Promise<ErrorsRead> {
  const acc = { lines: 0, requests: 0, bytesScanned: 0, queries: 0 };
  const partial = new Map<string, { t: number; logGroup: string }>();
  const events: FunctionErrorEvent[] = [];

  async function run(names: string[], start: number, end: number): Promise<void> {
    const result = await options.scheduler.run(() =>
      logs.runInsights(
        ERROR_QUERY,
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
    if (result.truncated && (end - start > MINUTE || names.length > 1 || end - start >= 2 * MIN_SPLIT_MS)) {
      // Cut at the row limit: ask again in halves, by time (whole minutes first), then by groups.
      if (end - start > MINUTE) {
        // At least a minute in, so a scan that is not whole minutes (the lookahead) still splits.
        const mid = start + Math.max(1, Math.floor((end - start) / 2 / MINUTE)) * MINUTE;
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
    }
    if (result.truncated) {
      // One second of one group is still cut: keep what was read, and say its minute is a lower bound.
      const t = Math.min(Math.max(floorMinute(start), window.start), window.end - MINUTE);
      partial.set(`${t}\u0000${names[0]}`, { t, logGroup: names[0]! });
    }
    const read = readErrorRows(result.rows);
    if (read.problem !== null) throw unreadableRows(read.problem, read.unreadable, result.rows.length);
    acc.lines += read.lines.length;
    for (const line of read.lines) {
      if (line.atMs < start || line.atMs >= end) continue;
      const fn = lineOwner(owners.get(line.logGroup), line.logStream);
      if (fn === undefined) continue;
      const e = classifyLine(line);
      if (e) events.push({ ...e, fn, version: e.version ?? streamParts(line.logStream).version });
    }
  }

  const names = [...new Set(groups)].sort();
  const chunks: string[][] = [];
  for (let i = 0; i < names.length; i += MAX_GROUPS_PER_QUERY)
    chunks.push(names.slice(i, i + MAX_GROUPS_PER_QUERY));
  const from = window.start - options.lookbackMs;
  const to = window.end + options.lookaheadMs;
  await Promise.all(chunks.map((c) => run(c, from, to)));
  return { rows: groupErrors(scope, events, window), ...acc, partial: [...partial.values()] };
}

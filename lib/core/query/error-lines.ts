/**
 * The collector's error query: the error-bearing lines of a window, one row per line, and the reading of its
 * rows back into ErrorLines.
 *
 * Invariants:
 * - The query is a constant: no user input and no log text ever enters it. It is the same for Text and JSON
 *   groups, so one query covers up to 50 groups of either format.
 * - The filter is a superset of what classify.ts turns into events (the classifier decides; the filter only
 *   keeps the scan's answer small): unhandled-error lines of Node/Python/Java/Ruby, JSON `level` ERROR /
 *   `errorType` lines, `Task timed out`, `Runtime exited with error`, `Runtime.OutOfMemory`, REPORT
 *   `Status: timeout|error`, platform records with a failed status, Powertools `"level":"ERROR"`.
 * - A row without its message, group or a readable time is unreadable: the caller fails the window (read again
 *   later) rather than store groups that silently miss lines. @requestId and @logStream may be absent.
 */
import { z } from "zod";
import { logGroupFromLogField } from "./insights";
import { insightsTime } from "./collector-insights";
import type { InsightsRow } from "./insights-rows";
import type { ErrorLine } from "../error-groups/types";

export const ERROR_LINE =
  "Task timed out after|Runtime exited with error|Runtime\\.OutOfMemory|Status: (timeout|error)" +
  '|"status": ?"(timeout|error|failure)"|\\tERROR\\t|\\tFATAL\\t|^\\[(ERROR|CRITICAL)\\]' +
  '|"(level|log_level|levelname|severity)": ?"(ERROR|FATAL|CRITICAL|error|fatal|critical)"|"errorType"';

export const ERROR_QUERY = [
  "fields @timestamp, @requestId, @logStream, @log, @message",
  `filter @message like /${ERROR_LINE}/`,
].join("\n| ");

const row = z.object({
  "@timestamp": insightsTime,
  "@log": z.string().min(1),
  "@message": z.string(),
  "@requestId": z.string().optional(),
  "@logStream": z.string().optional(),
});

export interface ReadErrorLines {
  lines: ErrorLine[];
  unreadable: number;
  problem: string | null;
}

export function readErrorRows(rows: readonly InsightsRow[]): ReadErrorLines {
  const lines: ErrorLine[] = [];
  let unreadable = 0;
  let problem: string | null = null;
  for (const raw of rows) {
    const r = row.safeParse(raw);
    if (!r.success) {
      unreadable++;
      const issue = r.error.issues[0];
      problem ??= `Logs Insights returned an error-query row whose \`${String(issue?.path[0] ?? "?")}\` ${issue?.message ?? "does not read"}`;
      continue;
    }
    const v = r.data;
    lines.push({
      atMs: v["@timestamp"],
      requestId: v["@requestId"] ?? null,
      logStream: v["@logStream"] ?? null,
      logGroup: logGroupFromLogField(v["@log"]),
      message: v["@message"],
    });
  }
  return { lines, unreadable, problem };
}

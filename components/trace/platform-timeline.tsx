/**
 * A request's platform phases (Init, SnapStart Restore, Invocation and its response spans, Overhead) from its
 * own log records: the request's timeline when X-Ray has none, a cross-check beside the trace when it has.
 * Server component: the timeline and its row positions are computed in lib/core; this only draws bars at the
 * fractions it is given, and each phase says which records it came from. A zero-length phase or span is
 * stated as text in place of its bar, never drawn.
 */
import { Empty } from "@/components/ui/panel";
import type { RequestLogLine } from "@/lib/core/traces/request-logs";
import {
  platformTimeline,
  timelineRows,
  type PlatformPhaseName,
  type TimelineRow,
} from "@/lib/core/traces/platform-timeline";
import { ms } from "@/lib/core/units";
import { formatSpanMs } from "./span-format";

/** Phase colours, as in the cold-start panel (restore violet, init amber). */
const BAR: Record<PlatformPhaseName, string> = {
  init: "bg-amber-500 dark:bg-amber-400",
  restore: "bg-violet-500 dark:bg-violet-400",
  invocation: "bg-sky-500 dark:bg-sky-400",
  overhead: "bg-zinc-400 dark:bg-zinc-500",
};

export function PlatformTimeline({
  lines,
  requestId,
}: {
  lines: readonly RequestLogLine[];
  requestId: string;
}) {
  const timeline = platformTimeline(lines, requestId);
  if (timeline === null)
    return (
      <Empty>
        No platform record of this request gives a phase&apos;s duration (REPORT, runtimeDone, or an init or
        restore report).
      </Empty>
    );
  const rows = timelineRows(timeline);
  return (
    <div className="space-y-2 text-sm" data-testid="platform-timeline" data-format={timeline.format}>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        From the platform&apos;s {timeline.format === "json" ? "JSON (platform.*)" : "Text"} log records ·{" "}
        {formatSpanMs(ms(timeline.end - timeline.start))} end to end
      </p>
      <ol className="space-y-1">
        {rows.map((r) => (
          <PhaseRow key={r.key} row={r} />
        ))}
      </ol>
      {timeline.notes.length > 0 ? (
        <ul className="text-xs text-amber-700 dark:text-amber-400" data-testid="platform-timeline-notes">
          {timeline.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function PhaseRow({ row }: { row: TimelineRow }) {
  const sub = row.depth === 1;
  return (
    <li
      className="grid grid-cols-[11rem_minmax(0,1fr)_6.5rem] items-center gap-2"
      data-testid={sub ? "platform-span" : "platform-phase"}
      data-phase={row.phase}
      data-source={row.source ?? undefined}
    >
      <div className={sub ? "pl-4 text-xs text-zinc-500 dark:text-zinc-400" : "font-medium"}>
        {row.label}
        {row.status && row.status !== "success" ? (
          <span className="ml-1 text-xs text-red-600 dark:text-red-400">({row.status})</span>
        ) : null}
        {row.source ? (
          <div className="truncate text-[11px] font-normal text-zinc-500" title={row.source}>
            {row.source}
          </div>
        ) : null}
      </div>
      {row.drawn ? (
        <div className="relative h-3 rounded bg-zinc-100 dark:bg-zinc-800" aria-hidden>
          <div
            className={`absolute inset-y-0 rounded ${BAR[row.phase]} ${sub ? "opacity-60" : ""}`}
            style={{ left: `${row.offset * 100}%`, width: `max(2px, ${row.width * 100}%)` }}
          />
        </div>
      ) : (
        <div className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="platform-phase-zero">
          Zero length (0 ms): stated, not drawn
        </div>
      )}
      <div className="text-right tabular-nums" data-testid="platform-phase-duration">
        {formatSpanMs(row.duration)}
      </div>
    </li>
  );
}

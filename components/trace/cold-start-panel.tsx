import type { Invocation } from "@/lib/core/telemetry/types";
import type { ColdStartBreakdown } from "@/lib/core/traces/cold-start";
import { formatSpanMs } from "./span-format";

/**
 * Was it cold, and where did the time go: init (or a SnapStart restore, its own kind of cold start) vs the
 * handler vs the runtime's overhead, from the trace; the REPORT line's own figures beside them when the logs
 * were found (they come from different sources and should agree).
 */
export function ColdStartPanel({
  breakdown,
  invocation,
}: {
  breakdown: ColdStartBreakdown | null;
  invocation: Invocation | null;
}) {
  const cold = breakdown?.cold ?? invocation?.coldStart ?? null;
  const init = breakdown?.init ?? invocation?.initDuration ?? null;
  const restore = breakdown?.restore ?? invocation?.restoreDuration ?? null;
  const kind = breakdown?.coldKind ?? (restore !== null ? "restore" : init !== null ? "init" : null);
  const parts = breakdown
    ? [
        { label: "Initialization", value: breakdown.init, color: "bg-amber-500" },
        { label: "Restore", value: breakdown.restore, color: "bg-violet-500" },
        { label: "Invocation", value: breakdown.invocation, color: "bg-sky-500" },
        { label: "Overhead", value: breakdown.overhead, color: "bg-zinc-400" },
      ]
    : [];
  const sum = parts.reduce((a, p) => a + (p.value ?? 0), 0);
  const version = breakdown?.version ?? invocation?.version ?? null;
  return (
    <div className="space-y-3 text-sm" data-testid="cold-start">
      <p className="text-base font-semibold" data-testid="cold-start-verdict">
        {cold === null
          ? "Cold start unknown"
          : cold
            ? kind === "restore"
              ? "Cold start (SnapStart restore)"
              : "Cold start"
            : "Warm start"}
      </p>
      {sum > 0 ? (
        <div className="flex h-3 overflow-hidden rounded" aria-hidden>
          {parts.map((p) =>
            p.value ? (
              <div key={p.label} className={p.color} style={{ width: `${(p.value / sum) * 100}%` }} />
            ) : null,
          )}
        </div>
      ) : null}
      <dl className="grid grid-cols-[9rem_minmax(0,1fr)] gap-y-1 tabular-nums">
        <dt className="text-zinc-500">Init duration</dt>
        <dd data-testid="init-duration">{formatSpanMs(init)}</dd>
        {restore !== null ? (
          <>
            <dt className="text-zinc-500">Restore (SnapStart)</dt>
            <dd data-testid="restore-duration">{formatSpanMs(restore)}</dd>
          </>
        ) : null}
        {breakdown ? (
          <>
            <dt className="text-zinc-500">Invocation</dt>
            <dd>{formatSpanMs(breakdown.invocation)}</dd>
            <dt className="text-zinc-500">Overhead</dt>
            <dd>{formatSpanMs(breakdown.overhead)}</dd>
          </>
        ) : null}
        {invocation ? (
          <>
            <dt className="text-zinc-500">REPORT duration</dt>
            <dd>
              {formatSpanMs(invocation.duration)} (billed {formatSpanMs(invocation.billedDuration)})
            </dd>
            <dt className="text-zinc-500">Memory</dt>
            <dd>
              {invocation.maxMemoryUsed} of {invocation.memorySize} MB
            </dd>
            <dt className="text-zinc-500">Status</dt>
            <dd>{invocation.status + (invocation.errorType ? ` · ${invocation.errorType}` : "")}</dd>
          </>
        ) : null}
        <dt className="text-zinc-500">Version</dt>
        <dd data-testid="served-version">{version ?? "—"}</dd>
        <dt className="text-zinc-500">Alias</dt>
        <dd data-testid="served-alias">{breakdown?.alias ?? "—"}</dd>
      </dl>
    </div>
  );
}

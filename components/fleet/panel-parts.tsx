/** Shared pieces of telemetry panels: a headline figure, a degraded-source notice, a loading placeholder. */
import type { ReactNode } from "react";
import { Notice } from "@/components/ui/notice";
import { Panel } from "@/components/ui/panel";

export function Stat({
  label,
  value,
  testId,
  hint,
}: {
  label: string;
  value: string;
  testId: string;
  hint?: string;
}) {
  return (
    <div className="rounded-lg border border-zinc-200 bg-white px-4 py-3 dark:border-zinc-800 dark:bg-zinc-900">
      <p className="text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{label}</p>
      <p className="mt-1 text-xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </p>
      {hint ? <p className="mt-0.5 text-xs text-zinc-500">{hint}</p> : null}
    </div>
  );
}

export interface SourceFailure {
  region?: string;
  source: string;
  error: { code: string; message: string };
}

/** One source failed: say which, why (coded), and that the rest of the page is unaffected. */
export function Degraded({ failures }: { failures: readonly SourceFailure[] }) {
  if (failures.length === 0) return null;
  return (
    <div className="space-y-2" data-testid="degraded">
      {failures.map((f, i) => (
        <Notice
          key={`${f.region ?? ""}-${f.source}-${i}`}
          tone="warn"
          title={`${f.region ? `${f.region}: ` : ""}${f.source} unavailable (${f.error.code})`}
        >
          <p className="break-words font-mono text-xs">{f.error.message}</p>
        </Notice>
      ))}
    </div>
  );
}

export function PanelSkeleton({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Panel title={title}>
      <div aria-busy="true" className="h-40 animate-pulse rounded bg-zinc-100 dark:bg-zinc-800">
        <span className="sr-only">Loading {title}…</span>
        {children}
      </div>
    </Panel>
  );
}

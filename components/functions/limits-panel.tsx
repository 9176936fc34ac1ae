/**
 * "Limits used": each row says what is measured against what (lib/core/limits.ts). The runtime rows measure the
 * page's range from the collector's store and stream in behind their own Suspense boundary; sizes and settings
 * come with the configuration and render at once.
 */
import { Suspense, type ReactNode } from "react";
import { LimitBar } from "@/components/ui/limit-bar";
import { Notice } from "@/components/ui/notice";
import type { LimitGroup, LimitRow } from "@/lib/core/limits";

const HEADINGS: Record<LimitGroup, string> = {
  runtime: "Measured over this range",
  quota: "Sizes against AWS quotas",
  setting: "Settings against Lambda's maximums",
};

function Group({ group, children }: { group: LimitGroup; children: ReactNode }) {
  return (
    <section aria-label={HEADINGS[group]} data-limit-group={group} className="space-y-3">
      <h3 className="text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
        {HEADINGS[group]}
      </h3>
      {children}
    </section>
  );
}

const rowsOf = (rows: readonly LimitRow[], group: LimitGroup) =>
  rows.filter((r) => r.group === group).map((r) => <LimitBar key={r.id} row={r} />);

async function Measured({ rows }: { rows: Promise<LimitRow[]> }) {
  return <>{rowsOf(await rows, "runtime")}</>;
}

export function LimitsPanelBody({
  rows,
  measured,
  accountError,
}: {
  /** The configuration's rows (sizes and settings). */
  rows: readonly LimitRow[];
  /** The runtime rows of the page's range; absent where no telemetry is read. */
  measured?: Promise<LimitRow[]>;
  accountError?: { code: string; message: string };
}) {
  return (
    <div className="space-y-4">
      {measured ? (
        <Group group="runtime">
          <Suspense fallback={<p className="text-sm text-zinc-500">Measuring this range…</p>}>
            <Measured rows={measured} />
          </Suspense>
        </Group>
      ) : null}
      <Group group="quota">{rowsOf(rows, "quota")}</Group>
      <Group group="setting">{rowsOf(rows, "setting")}</Group>
      {accountError ? (
        <Notice tone="warn" title={`Account settings unavailable (${accountError.code})`}>
          {accountError.message}
        </Notice>
      ) : null}
    </div>
  );
}

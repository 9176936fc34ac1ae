import type { Metadata } from "next";
import Link from "next/link";
import { rangeBucket } from "@/app/range-bucket";
import {
  first,
  regionsProblem,
  shellQuery,
  SHELL_KEYS,
  timeRangeProblem,
  type SearchParams,
} from "@/app/search-params";
import { ErrorsTable } from "@/components/errors/errors-table";
import { ReconciliationLine } from "@/components/errors/reconciliation-line";
import { PanelStatusLine } from "@/components/fleet/panel-status";
import { utcMinute } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { Empty } from "@/components/ui/panel";
import { env } from "@/lib/config/env";
import { getErrorGroups } from "@/lib/data/errors";
import { parseErrorsParams } from "./search-params";

export const metadata: Metadata = { title: "Errors" };

/** Error groups of the selected regions (or one function) over the header's range, worst first, from the store. */
export default async function ErrorsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const params = parseErrorsParams(sp, env().regions);
  const range = rangeBucket(sp);
  if (!range.ok) return range.page;
  const { bucket } = range;
  const view = getErrorGroups({ regions: params.regions, fn: params.fn, range: bucket });
  const linkQuery = shellQuery(sp);
  const problems = [timeRangeProblem(sp), regionsProblem(sp, env().regions), ...params.problems].filter(
    (p): p is string => p !== null,
  );
  const nothingCollected = view.windows.every((w) => w.logs === null);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-lg font-semibold">
          Errors
          {params.fn ? (
            <>
              {" "}
              of{" "}
              <span className="font-mono" data-testid="errors-function">
                {params.fn}
              </span>
            </>
          ) : null}
        </h1>
        <p
          className="text-sm tabular-nums text-zinc-500 dark:text-zinc-400"
          data-testid="range"
          data-start={bucket.start}
          data-end={bucket.end}
        >
          {params.regions.join(", ")} · {utcMinute(bucket.start)} – {utcMinute(bucket.end)} · from the store ·{" "}
          {view.awsRequests} AWS requests
        </p>
      </div>
      {problems.map((p) => (
        <Notice key={p} tone="warn" title={p} />
      ))}
      <form method="get" action="/errors" className="flex flex-wrap items-end gap-2 text-sm" role="search">
        {SHELL_KEYS.map((k) => {
          const v = new URLSearchParams(linkQuery).get(k);
          return v ? <input key={k} type="hidden" name={k} value={v} /> : null;
        })}
        <label className="flex flex-col gap-1">
          Function
          <input
            name="fn"
            defaultValue={params.fn ?? ""}
            placeholder="every function"
            aria-label="Function name"
            className="rounded border px-2 py-1 font-mono dark:bg-zinc-900"
          />
        </label>
        {params.regions.length === 1 && first(sp.region) ? (
          <input type="hidden" name="region" value={params.regions[0]} />
        ) : null}
        <button type="submit" className="rounded border px-3 py-1">
          Filter
        </button>
        {params.fn || first(sp.region) ? (
          <Link href={`/errors${linkQuery}`} className="text-sky-700 underline dark:text-sky-400">
            every function
          </Link>
        ) : null}
      </form>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        Errors grouped by kind, type and message with ids, numbers and quoted values masked (and the top stack
        frame when there is one), from the collector&apos;s reading of each closed minute of the logs.
        Timeouts and out-of-memory kills are groups of their own; &quot;Logged&quot; groups are ERROR lines of
        requests that did not fail, which the Errors metric does not count.
      </p>
      <div className="space-y-1 text-xs tabular-nums text-zinc-500 dark:text-zinc-400">
        {view.windows.map((w) => (
          <p
            key={w.region}
            data-testid="errors-window"
            data-region={w.region}
            data-from={w.logs?.from}
            data-to={w.logs?.to}
            data-compared-from={w.compared?.from}
            data-compared-to={w.compared?.to}
          >
            {w.region}:{" "}
            {w.logs
              ? `logs read ${utcMinute(w.logs.from)} – ${utcMinute(w.logs.to)}`
              : "no minute of this range collected from the logs yet"}
          </p>
        ))}
        <PanelStatusLine status={view.status} />
      </div>
      <ReconciliationLine total={view.reconciliation.total} functions={view.reconciliation.functions} />
      {nothingCollected ? (
        <Empty>Error groups are not known for this range yet: the collector has not read its logs.</Empty>
      ) : view.groups.length === 0 ? (
        <Empty>No errors logged in the collected minutes of this range.</Empty>
      ) : (
        <ErrorsTable groups={view.groups} linkQuery={linkQuery} />
      )}
    </div>
  );
}

import Link from "next/link";
import { redirect } from "next/navigation";
import { Suspense } from "react";
import { TraceList } from "@/components/trace/trace-list";
import { Notice } from "@/components/ui/notice";
import { PageLoading } from "@/components/ui/page-loading";
import { Empty, Panel } from "@/components/ui/panel";
import { UrlProblem } from "@/components/shell/url-problem";
import { systemClock } from "@/lib/config/clock";
import { env } from "@/lib/config/env";
import { isFleetscopeError } from "@/lib/core/errors";
import { classifyId } from "@/lib/core/traces/ids";
import { listTraces, type TraceList as TraceListData } from "@/lib/data/traces/list-traces";
import { first } from "@/lib/url/params";
import { requestHref } from "@/lib/url/requests";
import { loadRange, rangeWindow, SHELL_KEYS, type SearchParams } from "@/lib/url/shell";
import { loadTraceListParams, MAP_FILTER_KEYS, traceHref, type TraceListParams } from "@/lib/url/traces";

export const metadata = { title: "Traces" };

const input =
  "rounded-md border border-zinc-200 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-950";

async function load(
  sp: SearchParams,
  p: TraceListParams,
): Promise<{ list: TraceListData | null; error: string | null }> {
  const now = systemClock.now(); // the request's one instant
  const range = rangeWindow(loadRange(sp, now).range, now);
  try {
    const list = await listTraces({
      region: p.region,
      functionName: p.fn,
      filter: p.filter,
      ...range,
      nextToken: p.next,
    });
    return { list, error: null };
  } catch (e) {
    if (!isFleetscopeError(e)) throw e;
    return { list: null, error: e.message };
  }
}

type Props = { searchParams: Promise<SearchParams> };

/**
 * The loading state lives here, not in a traces/loading.tsx: that would also wrap each trace's page, which
 * then could not answer 404 (a streamed page has already sent 200).
 */
export default function TracesPage(props: Props) {
  return (
    <Suspense fallback={<PageLoading what="traces" />}>
      <Traces {...props} />
    </Suspense>
  );
}

async function Traces({ searchParams }: Props) {
  const sp = await searchParams;
  const regions = env().regions;
  const p = loadTraceListParams(sp, regions);

  // One box takes a trace id or a request id and opens it.
  const id = first(sp.id)?.trim();
  let idProblem: string | null = null;
  if (id) {
    const kind = classifyId(id);
    if (kind === "trace") redirect(traceHref(id, p.region));
    if (kind === "request") redirect(requestHref(id.toLowerCase(), { region: p.region, fn: p.fn }));
    idProblem = `"${id.slice(0, 80)}" is neither an X-Ray trace id (1-5759e988-bd862e3fe1be46a994272793) nor a Lambda request id (a UUID).`;
  }

  const { list, error } = await load(sp, p);
  const filtered = Object.values(p.filter).some((v) => v !== undefined && v !== false);

  const keep = new URLSearchParams();
  for (const [k, v] of Object.entries(sp)) {
    const value = first(v);
    if (value !== undefined && k !== "next" && k !== "id") keep.set(k, value);
  }
  const nextHref = list?.nextToken
    ? `/traces?${new URLSearchParams([...keep, ["next", list.nextToken]])}`
    : null;

  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Traces</h1>
      <form
        method="get"
        action="/traces"
        className="flex flex-wrap items-end gap-2"
        aria-label="Open a request"
      >
        <label className="flex flex-col text-xs text-zinc-500">
          Trace id or request id
          <input
            name="id"
            defaultValue={id ?? ""}
            className={`${input} w-[26rem] font-mono`}
            autoComplete="off"
          />
        </label>
        <input type="hidden" name="region" value={p.region} />
        {p.fn ? <input type="hidden" name="fn" value={p.fn} /> : null}
        <button type="submit" className="rounded-md bg-sky-600 px-3 py-1 text-sm text-white">
          Open
        </button>
      </form>
      {idProblem ? (
        <Notice tone="error" title="Not an id the console can open">
          {idProblem}
        </Notice>
      ) : null}

      <form
        method="get"
        action="/traces"
        className="flex flex-wrap items-end gap-3 text-sm"
        aria-label="Filter traces"
      >
        {[...SHELL_KEYS, ...MAP_FILTER_KEYS].map((k) =>
          first(sp[k]) ? <input key={k} type="hidden" name={k} value={first(sp[k])} /> : null,
        )}
        <label className="flex flex-col text-xs text-zinc-500">
          Region
          <select
            name="region"
            defaultValue={p.region}
            className={input}
            aria-describedby={p.problems.region ? "traces-region-problem" : undefined}
          >
            {regions.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
          <UrlProblem id="traces-region-problem" message={p.problems.region ?? null} />
        </label>
        <label className="flex flex-col text-xs text-zinc-500">
          Function (empty: whole fleet)
          <input name="fn" defaultValue={p.fn ?? ""} className={input} autoComplete="off" />
        </label>
        {(
          [
            ["errors", "Errors (4xx)"],
            ["faults", "Faults (5xx)"],
            ["throttles", "Throttles"],
            ["cold", "Cold starts"],
          ] as const
        ).map(([name, label]) => (
          <label key={name} className="flex items-center gap-1">
            <input type="checkbox" name={name} value="1" defaultChecked={p.form[name]} />
            {label}
          </label>
        ))}
        <label className="flex flex-col text-xs text-zinc-500">
          Slower than (s)
          <input
            name="slower"
            defaultValue={p.form.slower}
            inputMode="decimal"
            className={`${input} w-24`}
            aria-describedby={p.problems.slower ? "slower-problem" : undefined}
          />
          <UrlProblem id="slower-problem" message={p.problems.slower ?? null} />
        </label>
        <label className="flex flex-col text-xs text-zinc-500">
          Annotation (key:value)
          <input
            name="ann"
            defaultValue={p.form.ann}
            className={`${input} w-40`}
            autoComplete="off"
            aria-describedby={p.problems.ann ? "ann-problem" : undefined}
          />
          <UrlProblem id="ann-problem" message={p.problems.ann ?? null} />
        </label>
        <button type="submit" className="rounded-md border border-zinc-300 px-3 py-1 dark:border-zinc-700">
          Apply
        </button>
      </form>

      <Panel
        title={
          p.filter.edge
            ? `Traces of ${p.filter.edge.from.name} → ${p.filter.edge.to.name} in ${p.region}`
            : p.fn
              ? `Traces of ${p.fn} in ${p.region}`
              : `Traces in ${p.region}`
        }
        id="traces"
      >
        {error ? (
          <Notice tone="error" title="Traces could not be listed">
            {error}
          </Notice>
        ) : list && list.summaries.length > 0 ? (
          <div className="space-y-2">
            <TraceList summaries={list.summaries} hrefFor={(t) => traceHref(t, p.region)} />
            {nextHref ? (
              <Link href={nextHref} className="text-sm text-sky-700 underline dark:text-sky-400">
                Older traces
              </Link>
            ) : null}
          </div>
        ) : (
          <Empty>
            No trace matches in this window
            {list?.nextToken ? " yet: X-Ray is still scanning, see older traces" : ""}.
          </Empty>
        )}
        {list?.indexed ? (
          <p className="mt-3 text-sm text-amber-800 dark:text-amber-300" data-testid="trace-list-indexed">
            {list.indexed.percent !== null
              ? `X-Ray indexes about ${list.indexed.percent} % of traces in this region`
              : `X-Ray indexes only a share of the traces in this region (its indexing rule could not be read: ${list.indexed.error?.code ?? "not said"})`}
            : this {filtered ? "filtered " : ""}list shows only indexed traces.
            {p.fn && filtered
              ? " Without filters (or with faults only), a function's list reads every trace from Transaction Search."
              : ""}
          </p>
        ) : list?.destinationError ? (
          <p className="mt-3 text-sm text-amber-800 dark:text-amber-300" data-testid="trace-list-indexed">
            Whether X-Ray indexes every trace in this region is unknown: where its traces go could not be read
            ({list.destinationError.code}: {list.destinationError.message}). Under Transaction Search this
            list would show only the indexed share.
          </p>
        ) : null}
        {list ? (
          <p className="mt-3 text-xs text-zinc-500" data-testid="trace-list-cost">
            {list.filterExpression ? (
              <>
                Filter <code className="font-mono">{list.filterExpression}</code> ·{" "}
              </>
            ) : null}
            {new Date(list.from).toISOString()} – {new Date(list.to).toISOString()}
            {list.clamped ? " (X-Ray lists at most 24 hours per query)" : ""} · {list.cost.total} AWS request
            {list.cost.total === 1 ? "" : "s"}
            {list.source === "transaction-search" ? (
              <span data-testid="trace-list-source">
                {" "}
                · listed from Transaction Search&apos;s spans (aws/spans, newest 50): X-Ray indexes only a
                share of this region&apos;s traces
              </span>
            ) : null}
            {nextHref && list.summaries.length === 0 ? (
              <>
                {" "}
                · <Link href={nextHref}>continue scanning</Link>
              </>
            ) : null}
          </p>
        ) : null}
      </Panel>
    </div>
  );
}

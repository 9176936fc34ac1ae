import Link from "next/link";
import { Empty, Panel } from "@/components/ui/panel";
import { UrlProblem } from "@/components/shell/url-problem";
import { Notice } from "@/components/ui/notice";
import { describeSearchWindow } from "@/lib/core/traces/search-window";
import { readTraceDocuments } from "@/lib/core/traces/trace-documents";
import { toWaterfallData } from "@/lib/core/traces/waterfall-data";
import type { RequestView } from "@/lib/data/traces/request-view";
import { describeGroups } from "@/lib/data/traces/request-view";
import { functionHref } from "@/lib/url/function-href";
import { ColdStartPanel } from "./cold-start-panel";
import { ExceptionList } from "./exceptions";
import { LogLines } from "./log-lines";
import { PlatformTimeline } from "./platform-timeline";
import { TraceProblems } from "./trace-problems";
import { TraceSourceFacts } from "./trace-source";
import { Waterfall } from "./waterfall";

/**
 * One request: header, cold start, exceptions, the waterfall and its log lines, and what the page cost. A server
 * component: the trace is parsed here, once, and the waterfall receives it prepared (WaterfallData).
 */
export function RequestViewPage({
  view,
  accountName = null,
  problems = [],
}: {
  view: RequestView;
  /** The account's Organizations name, when known (shown next to its id). */
  accountName?: string | null;
  /** What was wrong with the URL's region or at (lib/url/requests), said under the heading. */
  problems?: readonly string[];
}) {
  const trace = view.trace.ok ? view.trace.value : null;
  const tree =
    trace && view.traceId
      ? readTraceDocuments(view.traceId, { format: trace.format, documents: trace.segments })
      : null;
  const failing = tree ? tree.spans.filter((s) => s.exceptions.length > 0) : [];
  const cost = Object.entries(view.cost.byOperation)
    .map(([op, n]) => `${op} ×${n}`)
    .join(", ");
  return (
    <div className="space-y-4">
      <header className="space-y-1">
        <h1 className="text-xl font-semibold">
          {view.functionName ?? "Request"}
          <span className="ml-2 text-sm font-normal text-zinc-500">{view.region}</span>
        </h1>
        {problems.map((message, i) => (
          <UrlProblem key={message} id={`request-url-problem-${i}`} message={message} />
        ))}
        <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
          <div>
            <dt className="inline text-zinc-500">Account </dt>
            <dd className="inline font-mono" data-testid="request-account">
              {view.account}
              {accountName ? <span className="ml-1 font-sans text-zinc-500">({accountName})</span> : null}
            </dd>
          </div>
          <div>
            <dt className="inline text-zinc-500">Request id </dt>
            <dd className="inline font-mono" data-testid="request-id">
              {view.requestId ?? "—"}
            </dd>
          </div>
          <div>
            <dt className="inline text-zinc-500">Trace id </dt>
            <dd className="inline font-mono" data-testid="trace-id">
              {view.traceId ?? "—"}
            </dd>
          </div>
          {view.functionName ? (
            <div>
              <Link
                className="text-sky-700 underline dark:text-sky-400"
                href={functionHref({
                  account: view.account,
                  region: view.region,
                  name: view.functionName,
                })}
              >
                Function page
              </Link>
            </div>
          ) : null}
          <TraceSourceFacts view={view} />
        </dl>
        <p className="text-xs text-zinc-500" data-testid="request-cost">
          This page cost {view.cost.total} AWS request{view.cost.total === 1 ? "" : "s"}
          {cost ? ` (${cost})` : ""}.
          {view.searched
            ? ` Searched ${describeGroups(view.searched)} in ${view.searched.region}, ${describeSearchWindow(view.searched.from, view.searched.to)}.`
            : ""}
        </p>
      </header>

      <div className="grid gap-4 lg:grid-cols-[22rem_minmax(0,1fr)]">
        <Panel title="Cold start" id="cold-start">
          <ColdStartPanel breakdown={trace?.breakdown ?? null} invocation={view.invocation} />
        </Panel>
        <Panel title="Exceptions" id="exceptions">
          {failing.length > 0 ? (
            <div className="space-y-3">
              {failing.map((s) => (
                <div key={s.id}>
                  <p className="mb-1 text-xs text-zinc-500">
                    on <span className="font-mono">{s.phase ?? s.name}</span>
                  </p>
                  <ExceptionList exceptions={s.exceptions} />
                </div>
              ))}
            </div>
          ) : (
            <Empty>
              {tree ? "No exception was recorded in this trace." : "No trace to read exceptions from."}
              {view.invocation && view.invocation.status !== "success"
                ? ` The REPORT line says: ${view.invocation.status}${view.invocation.errorType ? ` (${view.invocation.errorType})` : ""}.`
                : ""}
            </Empty>
          )}
        </Panel>
      </div>

      <Panel title="Trace" id="trace">
        {!view.trace.ok ? (
          <Notice tone="error" title={`The trace could not be loaded (${view.trace.error.code})`}>
            <span data-testid="trace-error" data-code={view.trace.error.code}>
              {view.trace.error.message}
            </span>
          </Notice>
        ) : trace === null || view.traceId === null ? (
          <Empty>
            {view.missingTrace ? (
              <span data-testid="missing-trace">{view.missingTrace.message}</span>
            ) : (
              <>
                X-Ray has no trace of this request{view.traceId ? ` (${view.traceId})` : ""}: it was not
                sampled, or tracing is off for the function.
              </>
            )}
          </Empty>
        ) : (
          <div className="space-y-3">
            <TraceProblems problems={trace.problems} />
            {tree ? <Waterfall data={toWaterfallData(tree)} /> : null}
          </div>
        )}
      </Panel>

      {view.logs?.ok && view.requestId ? (
        <Panel
          title={trace ? "Platform phases" : "Request timeline (platform records)"}
          id="platform-timeline"
        >
          <PlatformTimeline lines={view.logs.value.lines} requestId={view.requestId} />
        </Panel>
      ) : null}

      <Panel title="Log lines" id="logs">
        {view.logs === null ? (
          <Empty>
            The trace does not name a request id and function, so its log lines cannot be looked up.
          </Empty>
        ) : !view.logs.ok ? (
          <Notice tone="error" title="The log lines could not be loaded">
            {view.logs.error.message}
          </Notice>
        ) : (
          <div className="space-y-2">
            <p className="text-xs text-zinc-500">
              <span className="font-mono">{view.logs.value.logGroup}</span>
              {view.logs.value.stream ? (
                <>
                  {" "}
                  · stream <span className="font-mono">{view.logs.value.stream}</span>
                </>
              ) : null}
              {!view.logs.value.complete.start ? " · START not found in the window" : ""}
              {!view.logs.value.complete.report ? " · REPORT not found in the window" : ""}
            </p>
            {view.logs.value.lines.length > 0 ? (
              <LogLines lines={view.logs.value.lines} />
            ) : (
              <Empty>No log line of this request was found around the trace&apos;s time.</Empty>
            )}
          </div>
        )}
      </Panel>
    </div>
  );
}

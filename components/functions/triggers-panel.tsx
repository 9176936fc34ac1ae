import type { ReactNode } from "react";
import { Facts } from "@/components/ui/facts";
import type { OutcomeError, Outcome } from "@/lib/core/errors";
import { formatRelativeTime, formatSpan } from "@/lib/core/format";
import { sourceName } from "@/lib/core/triggers/source";
import {
  ASYNC_DEFAULTS,
  UNLIMITED,
  type EventSourceMapping,
  type FunctionUrl,
  type PushSource,
  type RecursiveLoop,
  type TriggerWarning,
} from "@/lib/core/triggers/types";
import { epochMs } from "@/lib/core/units";
import type { AsyncDelivery, FunctionTriggers, TriggerPartName } from "@/lib/data/triggers";

const th =
  "px-2 py-1.5 text-left text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400";
const td = "px-2 py-1.5 align-top";
const arnText = "break-all font-mono text-xs";

export const TRIGGERS_TITLE = "Triggers and async delivery";

/**
 * How the function is invoked and what happens to its async events, as the collector last read them or AWS
 * reports them now (the header says which, and how old). Each part shows on its own; a part AWS did not answer
 * says "unavailable: <why>", never an empty list that reads as "none". AWS text (ARNs, reasons, filter
 * patterns) renders as text.
 */
export async function TriggersPanel({ triggers }: { triggers: Promise<FunctionTriggers> }) {
  const t = await triggers;
  return (
    <section
      data-testid="triggers-panel"
      aria-labelledby="triggers-title"
      className="rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900"
    >
      <header className="border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
        <h2 id="triggers-title" className="text-sm font-semibold text-zinc-800 dark:text-zinc-100">
          {TRIGGERS_TITLE}
        </h2>
        <ReadingSource collectedAt={t.collectedAt} liveParts={t.liveParts} now={t.answeredAt} />
      </header>
      <div className="space-y-4 p-4 text-sm">
        <Warnings warnings={t.warnings} />
        <Part title="Event source mappings" outcome={t.mappings}>
          {(mappings) => <MappingsTable mappings={mappings} />}
        </Part>
        <div className="grid gap-4 lg:grid-cols-2">
          <Part title="Push sources (resource policy)" outcome={t.pushSources}>
            {(sources) => <PushSources sources={sources} />}
          </Part>
          <Part title="Function URL" outcome={t.url}>
            {(url) => <FunctionUrlView url={url} />}
          </Part>
          <Part title="Asynchronous invocation" outcome={t.async}>
            {(delivery) => <AsyncView delivery={delivery} />}
          </Part>
          <Part title="Recursive loop detection" outcome={t.recursion}>
            {(loop) => <Recursion loop={loop} />}
          </Part>
        </div>
      </div>
    </section>
  );
}

const PART_LABELS: Record<TriggerPartName, string> = {
  mappings: "mappings",
  pushSources: "push sources",
  url: "function URL",
  async: "async config",
  recursion: "recursion setting",
};

/** "Read 4m ago by the collector", "Read live from AWS", or the collector's reading with the parts read live. */
function ReadingSource({
  collectedAt,
  liveParts,
  now,
}: {
  collectedAt: number | null;
  liveParts: TriggerPartName[];
  now: number;
}) {
  const live = liveParts.map((p) => PART_LABELS[p]).join(", ");
  return (
    <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400" data-testid="triggers-source">
      {collectedAt === null ? (
        "Read live from AWS."
      ) : (
        <>
          Read{" "}
          <time dateTime={new Date(collectedAt).toISOString()}>
            {formatRelativeTime(epochMs(collectedAt), epochMs(now))}
          </time>{" "}
          by the collector{live ? `; ${live} read live` : ""}.
        </>
      )}
    </p>
  );
}

function Warnings({ warnings }: { warnings: TriggerWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <ul
      aria-label="Trigger warnings"
      className="space-y-1 rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
    >
      {warnings.map((w, i) => (
        <li key={`${w.code}-${w.mappingUuid ?? i}`} data-testid="trigger-warning" data-code={w.code}>
          {w.message}
        </li>
      ))}
    </ul>
  );
}

function Part<T>({
  title,
  outcome,
  children,
}: {
  title: string;
  outcome: Outcome<T>;
  children: (value: T) => ReactNode;
}) {
  return (
    <div data-testid="trigger-part" data-part={title}>
      <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
        {title}
      </h3>
      {outcome.ok ? children(outcome.value) : <Unavailable error={outcome.error} />}
    </div>
  );
}

function Unavailable({ error }: { error: OutcomeError }) {
  return (
    <p data-testid="trigger-part-unavailable" className="text-amber-800 dark:text-amber-300">
      unavailable: {error.message} ({error.code})
    </p>
  );
}

const None = ({ children }: { children: ReactNode }) => (
  <p className="text-zinc-500 dark:text-zinc-400">{children}</p>
);

/** -1 is AWS's "no limit"; null is a setting that does not apply to this kind of source. */
const limitText = (n: number | null, show: (n: number) => string) =>
  n === null ? "—" : n === UNLIMITED ? "unlimited" : show(n);
const yesNo = (b: boolean | null) => (b === null ? "—" : b ? "yes" : "no");
const age = (s: number) => formatSpan(s * 1000);

function MappingsTable({ mappings }: { mappings: EventSourceMapping[] }) {
  if (mappings.length === 0) return <None>No event source mappings.</None>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full" aria-label="Event source mappings">
        <thead className="border-b border-zinc-200 dark:border-zinc-800">
          <tr>
            <th className={th}>Source</th>
            <th className={th}>State</th>
            <th className={th}>Batch</th>
            <th className={th}>Start</th>
            <th className={th}>Retries / max age</th>
            <th className={th}>On failure</th>
            <th className={th}>Bisect</th>
            <th className={th}>Partial batch</th>
            <th className={th}>Filters</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {mappings.map((m) => (
            <tr
              key={m.uuid}
              data-testid="trigger-mapping"
              data-uuid={m.uuid}
              data-kind={m.kind}
              data-state={m.state}
            >
              <td className={td}>
                <span className="mr-1 rounded bg-zinc-100 px-1 text-xs uppercase dark:bg-zinc-800">
                  {m.kind}
                </span>
                <span className="font-mono" data-testid="mapping-source" title={m.sourceArn ?? undefined}>
                  {sourceName(m.sourceArn)}
                </span>
              </td>
              <td className={td} data-testid="mapping-state">
                {m.state}
                {m.stateReason ? <span className="text-zinc-500"> ({m.stateReason})</span> : null}
                {m.lastProcessingResult ? (
                  <div className="text-xs text-zinc-500">last batch: {m.lastProcessingResult}</div>
                ) : null}
              </td>
              <td className={`${td} tabular-nums`} data-testid="mapping-batch">
                {m.batchSize ?? "—"}
                {m.batchingWindowSeconds ? ` / ${m.batchingWindowSeconds} s window` : ""}
              </td>
              <td className={td}>{m.startingPosition ?? "—"}</td>
              <td className={`${td} tabular-nums`}>
                {limitText(m.maxRetries, String)} / {limitText(m.maxRecordAgeSeconds, age)}
              </td>
              <td className={td}>
                {m.onFailureDestination ? <span className={arnText}>{m.onFailureDestination}</span> : "none"}
              </td>
              <td className={td}>{yesNo(m.bisectOnError)}</td>
              <td className={td}>{yesNo(m.reportBatchItemFailures)}</td>
              <td className={td}>
                {m.filters.length === 0
                  ? "none"
                  : m.filters.map((f) => (
                      <code key={f} className="block break-all font-mono text-xs">
                        {f}
                      </code>
                    ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PushSources({ sources }: { sources: PushSource[] }) {
  if (sources.length === 0) return <None>No resource policy: no service is allowed to push.</None>;
  return (
    <ul className="space-y-1">
      {sources.map((s, i) => (
        <li key={`${s.sid}-${s.principal}-${s.sourceArn ?? i}`} data-testid="push-source" data-kind={s.kind}>
          <span className="font-mono">{s.principal}</span>{" "}
          {s.sourceArn ? (
            <span className={arnText}>{s.sourceArn}</span>
          ) : (
            <span className="text-zinc-500">from any source</span>
          )}
        </li>
      ))}
    </ul>
  );
}

function FunctionUrlView({ url }: { url: FunctionUrl | null }) {
  if (url === null) return <None>No function URL.</None>;
  const origins = url.cors?.allowOrigins ?? [];
  return (
    <Facts
      items={[
        [
          "URL",
          <span key="u" className={arnText}>
            {url.url}
          </span>,
        ],
        ["Auth", url.authType === "NONE" ? "NONE (public)" : url.authType],
        [
          "Invoke mode",
          url.invokeMode === "RESPONSE_STREAM" ? "RESPONSE_STREAM (streaming)" : url.invokeMode,
        ],
        ["CORS origins", origins.length === 0 ? "none" : origins.join(", ")],
      ]}
    />
  );
}

function AsyncView({ delivery: { config, deadLetterTarget } }: { delivery: AsyncDelivery }) {
  const c = config ?? ASYNC_DEFAULTS;
  const destination = (arn: string | null) => (arn ? <span className={arnText}>{arn}</span> : "none");
  return (
    <Facts
      items={[
        ["Configured", config ? "yes" : "no: AWS defaults apply"],
        ["Retries", String(c.maxRetries)],
        ["Max event age", age(c.maxEventAgeSeconds)],
        ["On success", destination(c.onSuccess)],
        ["On failure", destination(c.onFailure)],
        ["Dead-letter queue", destination(deadLetterTarget)],
      ]}
    />
  );
}

function Recursion({ loop }: { loop: RecursiveLoop }) {
  return (
    <p data-testid="recursion" data-value={loop}>
      {loop === "Terminate"
        ? "Terminate: Lambda stops a detected recursive loop (the default)."
        : "Allow: Lambda lets recursive loops run (detection off)."}
    </p>
  );
}

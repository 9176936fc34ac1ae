/**
 * Per event source mapping counts, below the triggers: for each mapping whose MetricsConfig enables EventCount,
 * the six counts Lambda publishes under EventSourceMappingUUID over the page's range (read live, one batched
 * GetMetricData for all of the function's mappings), and a chart of them. A mapping without metrics says so; a
 * metric with no datapoint in the range reads "not published", never 0. AWS text (ARNs) renders as text.
 */
import { Suspense } from "react";
import { ChartPanel, Degraded } from "@/components/fleet/panel-parts";
import { PALETTE } from "@/lib/core/charts/colors";
import type { MappingCounts } from "@/lib/core/charts/mapping-counts";
import type { Outcome } from "@/lib/core/errors";
import { formatCount } from "@/lib/core/format";
import type { RangeBucket } from "@/lib/core/time/bucket";
import { sourceName } from "@/lib/core/triggers/source";

interface Props {
  data: Promise<Outcome<MappingCounts[]>>;
  bucket: RangeBucket;
}

/** Streams in behind its own boundary: the rest of the page does not wait for this live read. */
export function SourceMappingMetrics(props: Props) {
  return (
    <Suspense fallback={null}>
      <MappingMetricsPart {...props} />
    </Suspense>
  );
}

async function MappingMetricsPart({ data, bucket }: Props) {
  const o = await data;
  if (!o.ok)
    return (
      <Degraded failures={[{ source: "Event source mapping metrics (CloudWatch, live)", error: o.error }]} />
    );
  if (o.value.length === 0) return null;
  return (
    <section aria-label="Event source mapping metrics" className="space-y-3" data-testid="mapping-metrics">
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-sm font-semibold text-zinc-700 dark:text-zinc-200">
          Event source mapping metrics
        </h2>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          read live from AWS (dimension EventSourceMappingUUID; the collector keeps per-function rows only)
        </p>
      </header>
      {o.value.map((m) => (
        <MappingPart key={m.uuid} mapping={m} bucket={bucket} />
      ))}
    </section>
  );
}

function MappingPart({ mapping: m, bucket }: { mapping: MappingCounts; bucket: RangeBucket }) {
  const name = sourceName(m.sourceArn);
  if (m.counts === null)
    return (
      <p
        className="text-xs text-zinc-500 dark:text-zinc-400"
        data-testid="mapping-metrics-off"
        data-uuid={m.uuid}
      >
        <span className="font-medium">{name}</span> ({m.state}): no counts, {m.why}.
      </p>
    );
  const published = m.counts.filter((c) => c.total !== null);
  return (
    <div className="space-y-2" data-testid="mapping-counts" data-uuid={m.uuid}>
      <p className="text-xs text-zinc-600 dark:text-zinc-300">
        <span className="font-medium">{name}</span> · {m.state} · <span className="font-mono">{m.uuid}</span>
      </p>
      <div className="grid items-start gap-3 lg:grid-cols-2">
        <dl className="grid grid-cols-2 gap-2 text-sm md:grid-cols-3">
          {m.counts.map((c) => (
            <div
              key={c.metric}
              className="rounded border border-zinc-200 px-3 py-2 dark:border-zinc-800"
              data-testid="mapping-count"
              data-metric={c.metric}
              data-total={c.total ?? undefined}
            >
              <dt className="text-xs text-zinc-500 dark:text-zinc-400" title={c.metric}>
                {c.label}
              </dt>
              <dd className="font-semibold tabular-nums">
                {c.total === null ? (
                  <span className="text-xs font-normal text-zinc-500" title={c.why ?? undefined}>
                    not published
                  </span>
                ) : (
                  formatCount(c.total)
                )}
              </dd>
            </div>
          ))}
        </dl>
        {published.length > 0 ? (
          <ChartPanel
            title={`${name} (${m.state}): events per ${bucket.period / 60} min`}
            chartTitle={`${name} event counts`}
            id={`mapping-chart-${m.uuid}`}
            unit="count"
            bucket={bucket}
            lines={published.map((c, i) => ({
              key: c.metric,
              label: c.label,
              color: PALETTE[i % PALETTE.length] ?? "#0072B2",
              points: c.points,
            }))}
          />
        ) : null}
      </div>
    </div>
  );
}

"use client";

import { spanExceptions } from "@/lib/core/traces/cold-start";
import type { WaterfallTree } from "@/lib/core/traces/types";
import { ms } from "@/lib/core/units";
import { ExceptionList } from "./exceptions";
import { formatSpanMs } from "./span-format";
import { Button } from "@/components/ui/button";

const json = (v: unknown) => JSON.stringify(v, null, 2);

/** Metadata an OTel span's mapping filled (otel.ts): shown as their own sections, not in the metadata JSON. */
const GROUPS = [
  ["db", "Database"],
  ["messaging", "Messaging"],
] as const;

/** A group is shown as a section only when it is a flat object of scalars (the mapper's shape). */
function scalarsOf(v: unknown): [string, string][] | null {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return null;
  const entries = Object.entries(v);
  if (!entries.every(([, x]) => typeof x === "string" || typeof x === "number")) return null;
  return entries.map(([k, x]) => [k, String(x)]);
}

/** Everything X-Ray recorded on one span. All values are rendered as text. */
export function SpanDetails({
  tree,
  index,
  onZoom,
}: {
  tree: WaterfallTree;
  index: number;
  onZoom: () => void;
}) {
  const s = tree.spans[index];
  if (!s) return null;
  const exceptions = spanExceptions(tree, index);
  const flags = [s.fault && "fault", s.error && "error", s.throttle && "throttle"].filter(Boolean);
  const facts: [string, string][] = [
    ["Kind", s.kind + (s.origin ? ` · ${s.origin}` : "") + (s.namespace ? ` · ${s.namespace}` : "")],
    ["Starts at", `+${formatSpanMs(ms(s.start - tree.start))}`],
    [
      "Duration",
      s.endMissing ? (s.inProgress ? "in progress" : "unknown (no end_time)") : formatSpanMs(s.duration),
    ],
    ["Status", flags.length > 0 ? flags.join(", ") : "ok"],
    ["Id", s.id],
  ];
  if (s.resourceArn) facts.push(["Resource", s.resourceArn]);
  if (s.http) {
    facts.push(["HTTP", [s.http.method, s.http.url, s.http.status].filter((x) => x !== null).join(" ")]);
  }
  const groups = GROUPS.flatMap(([key, title]) => {
    const rows = scalarsOf(s.metadata[key]);
    return rows === null || rows.length === 0 ? [] : [{ key, title, rows }];
  });
  const shown = new Set<string>(groups.map((g) => g.key));
  const metadata = Object.fromEntries(Object.entries(s.metadata).filter(([k]) => !shown.has(k)));
  return (
    <aside
      aria-label="Span details"
      data-testid="span-details"
      className="max-h-[640px] space-y-3 overflow-auto rounded-lg border border-zinc-200 p-3 text-sm dark:border-zinc-800"
    >
      <div className="flex items-start justify-between gap-2">
        <h3 className="font-semibold break-all">{s.phase ?? s.name}</h3>
        <Button size="sm" onClick={onZoom} className="shrink-0">
          Zoom to span
        </Button>
      </div>
      <dl className="grid grid-cols-[6rem_minmax(0,1fr)] gap-x-2 gap-y-1 text-xs">
        {facts.map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="text-zinc-500">{k}</dt>
            <dd className="break-all font-mono" data-testid={`span-${k.toLowerCase().replace(/\s+/g, "-")}`}>
              {v}
            </dd>
          </div>
        ))}
      </dl>
      {Object.keys(s.aws).length > 0 ? (
        <Section title="AWS">
          <dl className="grid grid-cols-[6rem_minmax(0,1fr)] gap-x-2 gap-y-1 text-xs">
            {Object.entries(s.aws).map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-zinc-500">{k}</dt>
                <dd className="break-all font-mono">{typeof v === "string" ? v : json(v)}</dd>
              </div>
            ))}
          </dl>
        </Section>
      ) : null}
      {Object.keys(s.annotations).length > 0 ? (
        <Section title="Annotations">
          <dl className="grid grid-cols-[6rem_minmax(0,1fr)] gap-x-2 gap-y-1 text-xs">
            {Object.entries(s.annotations).map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-zinc-500">{k}</dt>
                <dd className="font-mono">{String(v)}</dd>
              </div>
            ))}
          </dl>
        </Section>
      ) : null}
      {groups.map((g) => (
        <Section key={g.key} title={g.title}>
          <dl
            className="grid grid-cols-[6rem_minmax(0,1fr)] gap-x-2 gap-y-1 text-xs"
            data-testid={`span-${g.key}`}
          >
            {g.rows.map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-zinc-500">{k.replace(/_/g, " ")}</dt>
                <dd className="whitespace-pre-wrap break-all font-mono">{v}</dd>
              </div>
            ))}
          </dl>
        </Section>
      ))}
      {Object.keys(metadata).length > 0 ? (
        <Section title="Metadata">
          <pre className="overflow-auto whitespace-pre-wrap break-all text-xs">{json(metadata)}</pre>
        </Section>
      ) : null}
      {exceptions.length > 0 ? (
        <Section title="Exceptions">
          <ExceptionList exceptions={exceptions} />
        </Section>
      ) : null}
    </aside>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section>
      <h4 className="mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500">{title}</h4>
      {children}
    </section>
  );
}

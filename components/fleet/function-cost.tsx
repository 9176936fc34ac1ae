/**
 * The function page's estimated monthly cost: the total ("≥ $x" when a part could not be priced, with what is
 * missing said beside it) and its parts, provisioned concurrency per alias or version.
 */
import { Panel } from "@/components/ui/panel";
import type { Outcome } from "@/lib/core/errors";
import { formatMoney } from "@/lib/core/format";
import type { CostEstimate } from "@/lib/core/pricing";
import { costText, estimateTitle } from "./cost-text";
import { Degraded, Stat } from "./panel-parts";

type MoneyPart = Exclude<keyof CostEstimate["parts"], "total" | "onDemandGbSeconds" | "estimatedRegion">;

const PARTS: { key: MoneyPart; label: string }[] = [
  { key: "requests", label: "Requests" },
  { key: "duration", label: "On-demand duration" },
  { key: "init", label: "INIT (cold starts)" },
  { key: "provisionedConcurrency", label: "Provisioned concurrency" },
  { key: "provisionedDuration", label: "Provisioned duration" },
  { key: "ephemeralStorage", label: "Ephemeral storage" },
  { key: "snapStartCache", label: "SnapStart cache" },
  { key: "snapStartRestore", label: "SnapStart restores" },
];

export async function FunctionCostPart({ data }: { data: Promise<Outcome<CostEstimate | null>> }) {
  const o = await data;
  if (!o.ok) return <Degraded failures={[{ source: "Estimated cost", error: o.error }]} />;
  const e = o.value;
  if (e === null) return null;
  return (
    <Panel title="Estimated cost" id="fn-cost">
      <div className="grid gap-4 md:grid-cols-[16rem_1fr]" data-testid="fn-cost">
        <Stat
          label="Per month (list prices)"
          testId="fn-monthly-cost"
          value={costText(e.total, e.lowerBound)}
          title={estimateTitle(e) || undefined}
          hint={e.lowerBound ? `lower bound, without ${e.missing.join("; ")}` : "no free tier"}
        />
        <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm tabular-nums">
          {PARTS.filter((p) => e.parts[p.key] !== 0 || p.key === "requests").map((p) => (
            <div key={p.key} className="contents" data-part={p.key}>
              <dt className="text-zinc-500">{p.label}</dt>
              <dd className="text-right">{formatMoney(e.parts[p.key])}</dd>
            </div>
          ))}
          {e.provisioned.map((p) => (
            <div key={p.qualifier} className="contents" data-qualifier={p.qualifier}>
              <dt className="pl-3 text-zinc-500">
                {p.concurrency} provisioned on {p.qualifier}
              </dt>
              <dd className="text-right">{formatMoney(p.monthly)}</dd>
            </div>
          ))}
        </dl>
      </div>
      {e.notes.length > 0 ? <p className="mt-2 text-xs text-zinc-500">{e.notes.join(" · ")}</p> : null}
    </Panel>
  );
}

/**
 * How an estimated cost reads: "≥ $x" when a part could not be priced, with a title naming what is missing,
 * what was assumed and, for provisioned concurrency, the fixed charge of each alias or version.
 */
import { formatMoney } from "@/lib/core/format";
import type { CostEstimate, CostSum } from "@/lib/core/pricing";
import type { MicroUsd } from "@/lib/core/units";

export const costText = (total: MicroUsd, lowerBound: boolean): string =>
  lowerBound ? `≥ ${formatMoney(total)}` : formatMoney(total);

export function estimateTitle(e: CostEstimate): string {
  return [
    ...(e.lowerBound ? [`Lower bound, without ${e.missing.join("; ")}`] : []),
    ...e.provisioned.map(
      (p) => `Provisioned ${p.concurrency} on ${p.qualifier}: ${formatMoney(p.monthly)}/month fixed`,
    ),
    ...e.notes,
  ].join("\n");
}

export function sumTitle(s: CostSum): string {
  return [
    ...s.missing.map((m) => `Without ${m.part} for ${m.functions} function${m.functions === 1 ? "" : "s"}`),
    ...(s.unpriced > 0 ? [`${s.unpriced} functions without a price`] : []),
  ].join("\n");
}

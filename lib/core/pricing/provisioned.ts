/**
 * Provisioned concurrency economics (https://aws.amazon.com/lambda/pricing/, checked 2026-11-23).
 *
 * Provisioned concurrency costs a fixed rate per GB-s configured plus a lower duration rate for the work it
 * serves. Busy a fraction u of the time, it costs (pc + u·pcDuration) per GB-s of capacity against u·onDemand for
 * the same work on demand, so it pays off above u* = pc / (onDemand − pcDuration): about 60% at list prices.
 * The first on-demand tier is the comparison rate (the one nearly every function is billed at).
 */
import type { Architecture } from "@/lib/core/lambda/types";
import { type MicroUsd, type Mb, type Ratio, ratio, usdToMicro } from "@/lib/core/units";
import { type UnknownRegionPolicy, ratesFor } from "./rates";
import { MONTH_SECONDS, gbOf } from "./cost";

export interface PcPricingInput {
  region: string;
  architecture: Architecture;
  unknownRegion?: UnknownRegionPolicy;
}

function rates(input: PcPricingInput) {
  const { rates: r } = ratesFor(input.region, input.unknownRegion);
  const arch = r.architectures[input.architecture];
  const onDemand = arch.duration[0]?.usdPerGbSecond ?? 0;
  return { onDemand, pc: arch.provisionedPerGbSecond, pcDuration: arch.provisionedDurationPerGbSecond };
}

/** Utilisation above which provisioned concurrency is cheaper than the same work on demand. */
export function breakEvenUtilisation(input: PcPricingInput): Ratio {
  const { onDemand, pc, pcDuration } = rates(input);
  return ratio(pc / (onDemand - pcDuration));
}

export interface PcComparison {
  /** Monthly cost of `concurrency` environments busy `utilisation` of the time (requests excluded: equal). */
  provisioned: MicroUsd;
  /** Monthly cost of the same busy GB-s on demand. */
  onDemand: MicroUsd;
  breakEven: Ratio;
}

export function compareProvisionedToOnDemand(
  input: PcPricingInput & { memory: Mb; concurrency: number; utilisation: Ratio },
): PcComparison {
  const { onDemand, pc, pcDuration } = rates(input);
  const capacityGbS = input.concurrency * gbOf(input.memory) * MONTH_SECONDS;
  const busyGbS = capacityGbS * input.utilisation;
  return {
    provisioned: usdToMicro(capacityGbS * pc + busyGbS * pcDuration),
    onDemand: usdToMicro(busyGbS * onDemand),
    breakEven: breakEvenUtilisation(input),
  };
}

/** Monthly fixed charge of keeping `concurrency` environments provisioned all month. */
export function provisionedMonthlyCharge(
  input: PcPricingInput & { memory: Mb; concurrency: number },
): MicroUsd {
  const { pc } = rates(input);
  return usdToMicro(input.concurrency * gbOf(input.memory) * MONTH_SECONDS * pc);
}

/**
 * Smallest provisioned concurrency that serves `peakConcurrency` at no more than `targetUtilisation`
 * (at least 1: zero means "remove it", a different recommendation).
 */
export function rightSizeProvisioned(peakConcurrency: number, targetUtilisation: Ratio): number {
  return Math.max(1, Math.ceil(peakConcurrency / targetUtilisation - 1e-9));
}

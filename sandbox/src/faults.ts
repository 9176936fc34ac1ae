/**
 * Fault injection: per service (and optionally per operation) throttling, added latency and 5xx errors.
 *
 * Invariants: rates are probabilities in [0, 1]; an operation override replaces the service's rule field by
 * field; the dice come from a PRNG seeded by the sandbox seed, so the same request sequence meets the same
 * faults (reproducible tests). Throttling is decided before errors; latency applies to every outcome.
 */
import { z } from "zod";
import { deriveSeed, mulberry32 } from "./fleet/prng";
import type { ServiceName } from "./http/types";

const Rule = z.object({
  throttleRate: z.number().min(0).max(1).optional(),
  latencyMs: z.number().min(0).max(60_000).optional(),
  errorRate: z.number().min(0).max(1).optional(),
});
const ServiceRule = Rule.extend({ operations: z.record(z.string(), Rule).optional() });

export const FaultConfigSchema = z
  .object({
    lambda: ServiceRule.optional(),
    monitoring: ServiceRule.optional(),
    logs: ServiceRule.optional(),
    xray: ServiceRule.optional(),
    sqs: ServiceRule.optional(),
  })
  .strict();

export type FaultRule = z.infer<typeof Rule>;
export type FaultConfig = z.infer<typeof FaultConfigSchema>;

export type FaultDecision = { kind: "none" | "throttle" | "error"; latencyMs: number };

export interface FaultInjector {
  decide(service: ServiceName, operation: string | null): FaultDecision;
  set(config: FaultConfig): void;
  get(): FaultConfig;
}

export function createFaultInjector(seed: number, initial: FaultConfig = {}): FaultInjector {
  let config = FaultConfigSchema.parse(initial);
  const dice = mulberry32(deriveSeed(seed, "faults"));
  return {
    decide(service, operation) {
      const base = config[service];
      if (!base) return { kind: "none", latencyMs: 0 };
      const rule: FaultRule = { ...base, ...(operation ? base.operations?.[operation] : undefined) };
      const latencyMs = rule.latencyMs ?? 0;
      // Always draw both numbers so one rule's change does not shift the others' sequence.
      const t = dice();
      const e = dice();
      if (t < (rule.throttleRate ?? 0)) return { kind: "throttle", latencyMs };
      if (e < (rule.errorRate ?? 0)) return { kind: "error", latencyMs };
      return { kind: "none", latencyMs };
    },
    set(next) {
      config = FaultConfigSchema.parse(next);
    },
    get: () => config,
  };
}

/**
 * The advisor: runs every rule over one function's configuration and observations and returns its flags,
 * most severe first. Rules are independent pure functions (rules/*.ts); a rule that finds nothing returns [].
 * A rule whose evidence could not be read is not run (notJudgedFor lists it, evidence.ts); flags about one
 * concern are folded into one recommendation (merge.ts).
 */
import type { AccountSettings } from "@/lib/core/lambda/types";
import type { EpochMs } from "@/lib/core/units";
import type { PricingContext, Rule, RuleContext } from "./context";
import { DEFAULT_THRESHOLDS, type Thresholds } from "./thresholds";
import type { AdvisorInput, Flag, RuleId, Severity, Window } from "./types";
import { capConfidence, isJudgeable, notJudged, type Unjudged } from "./evidence";
import { mergeConcerns } from "./merge";
import { accountCodeStorage } from "./rules/account-code-storage";
import { arm64Move } from "./rules/arm64-move";
import { codeSize } from "./rules/code-size";
import { coldStarts } from "./rules/cold-starts";
import { concurrencyNearLimit } from "./rules/concurrency-near-limit";
import { dataCoverage } from "./rules/data-coverage";
import { deprecatedRuntime } from "./rules/deprecated-runtime";
import { envVarsSize } from "./rules/env-vars-size";
import { errors } from "./rules/errors";
import { asyncDelivery } from "./rules/async-delivery";
import { eventSourceMappingState } from "./rules/event-source-mapping-state";
import { iteratorAge, recursiveInvocationsDropped } from "./rules/event-sources";
import { sqsBatchTimeout } from "./rules/sqs-batch-timeout";
import { sqsVisibilityTimeout } from "./rules/sqs-visibility-timeout";
import { streamFallingBehind } from "./rules/stream-falling-behind";
import { memoryNearLimit } from "./rules/memory-near-limit";
import { memoryOverProvisioned } from "./rules/memory-over-provisioned";
import { provisionedIdle, provisionedSpillover } from "./rules/provisioned-concurrency";
import { throttles } from "./rules/throttles";
import { timeoutNear } from "./rules/timeout-near";
import { timeoutOverGenerous } from "./rules/timeout-over-generous";
import { timeouts } from "./rules/timeouts";

export * from "./types";
export { DEFAULT_THRESHOLDS, parseThresholds, type Thresholds } from "./thresholds";
export type { PricingContext, RuleContext } from "./context";
export {
  EVIDENCE_SOURCES,
  RULE_EVIDENCE,
  type EvidenceSource,
  type MissingEvidence,
  type Unjudged,
} from "./evidence";

export const RULES: ReadonlyArray<{ id: RuleId; rule: Rule }> = [
  { id: "memory-over-provisioned", rule: memoryOverProvisioned },
  { id: "memory-near-limit", rule: memoryNearLimit },
  { id: "timeout-near", rule: timeoutNear },
  { id: "timeouts", rule: timeouts },
  { id: "timeout-over-generous", rule: timeoutOverGenerous },
  { id: "errors", rule: errors },
  { id: "throttles", rule: throttles },
  { id: "concurrency-near-limit", rule: concurrencyNearLimit },
  { id: "cold-starts", rule: coldStarts },
  { id: "provisioned-idle", rule: provisionedIdle },
  { id: "provisioned-spillover", rule: provisionedSpillover },
  { id: "deprecated-runtime", rule: deprecatedRuntime },
  { id: "code-size", rule: codeSize },
  { id: "env-vars-size", rule: envVarsSize },
  // Before iterator-age: when both fire, the trend's flag leads the merged one (merge.ts keeps the first).
  { id: "stream-falling-behind", rule: streamFallingBehind },
  { id: "iterator-age", rule: iteratorAge },
  { id: "async-delivery", rule: asyncDelivery },
  { id: "sqs-visibility-timeout", rule: sqsVisibilityTimeout },
  { id: "sqs-batch-timeout", rule: sqsBatchTimeout },
  { id: "event-source-mapping-state", rule: eventSourceMappingState },
  { id: "recursive-invocations-dropped", rule: recursiveInvocationsDropped },
  { id: "arm64-move", rule: arm64Move },
  { id: "data-coverage", rule: dataCoverage },
];

export interface AdviseOptions {
  now: EpochMs;
  thresholds?: Thresholds;
  pricing?: Partial<PricingContext>;
  /** Only these rules (default: all). */
  rules?: ReadonlySet<RuleId>;
}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

export const bySeverity = (a: Flag, b: Flag): number =>
  SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
  (a.functionName ?? "").localeCompare(b.functionName ?? "") ||
  a.ruleId.localeCompare(b.ruleId) ||
  (a.qualifier ?? "").localeCompare(b.qualifier ?? "");

function context(options: AdviseOptions): RuleContext {
  return {
    now: options.now,
    thresholds: options.thresholds ?? DEFAULT_THRESHOLDS,
    pricing: { unknownRegion: "error", ...options.pricing },
  };
}

const selected = (options: Pick<AdviseOptions, "rules">) =>
  RULES.filter(({ id }) => options.rules?.has(id) ?? true);

/** All flags for one function that its evidence lets the advisor judge, most severe first. */
export function advise(input: AdvisorInput, options: AdviseOptions): Flag[] {
  const ctx = context(options);
  const flags = selected(options)
    .filter(({ id }) => isJudgeable(input, id))
    .flatMap(({ rule }) => rule(input, ctx).map((f) => capConfidence(f, input)));
  return mergeConcerns(flags).sort(bySeverity);
}

/** The rules `advise` could not judge, or judge whole, for this function, and why. */
export const notJudgedFor = (input: AdvisorInput, options: Pick<AdviseOptions, "rules"> = {}): Unjudged[] =>
  notJudged(
    input,
    selected(options).map(({ id }) => id),
  );

/** The account-wide rule, not judged because the account settings could not be read. */
export const accountNotJudged = (region: string, reason: string): Unjudged => ({
  region,
  functionName: null,
  ruleId: "account-code-storage",
  source: "account",
  reason,
  partly: false,
});

/** Account-wide flags for one region (code storage). */
export function adviseAccount(account: AccountSettings, window: Window, options: AdviseOptions): Flag[] {
  return accountCodeStorage(account, window, context(options));
}

/**
 * Which evidence each rule reads, and what a run could not judge because of it.
 *
 * Invariants:
 * - A rule is judged for a function only when every source it `needs` was read for that function; otherwise it is
 *   not run and is listed as not judged, with the reason. A missing number is never read as zero.
 * - A rule that also reads a source `partly` (deprecated-runtime: the published versions) is judged on what was
 *   read, listed as partly judged, and its flags are never "high" (capConfidence).
 * - Evidence that covers less than the window asked (`AdvisorInput.partial`: a store still backfilling) is
 *   judged, but a flag built on telemetry is never "high" on it (capConfidence).
 */
import type { AdvisorInput, Flag, RuleId } from "./types";

export type EvidenceSource =
  "metrics" | "logs" | "settings" | "versions" | "account" | "triggers" | "async" | "queues";

/** Why each source could not be read for one function; absent: read. */
export type MissingEvidence = Partial<Record<EvidenceSource, string>>;

export const EVIDENCE_SOURCES: Record<EvidenceSource, string> = {
  metrics: "CloudWatch metrics",
  logs: "REPORT lines (Logs Insights)",
  settings: "aliases and reserved / provisioned concurrency",
  versions: "published versions' configurations",
  account: "account settings",
  triggers: "event source mappings",
  async: "asynchronous invocation config and delivery metrics",
  queues: "SQS queue attributes",
};

interface RuleEvidence {
  needs: readonly EvidenceSource[];
  partly?: readonly EvidenceSource[];
}

const TELEMETRY: RuleEvidence = { needs: ["metrics", "logs"] };

/** What each rule reads; the $LATEST configuration is always there (the function was listed). */
export const RULE_EVIDENCE: Record<RuleId, RuleEvidence> = {
  "memory-over-provisioned": TELEMETRY,
  "memory-near-limit": TELEMETRY,
  "timeout-near": TELEMETRY,
  timeouts: TELEMETRY,
  "timeout-over-generous": TELEMETRY,
  "cold-starts": TELEMETRY,
  // Priced from the average duration, which the live path takes from REPORT lines.
  "arm64-move": TELEMETRY,
  errors: { needs: ["metrics"], partly: ["settings"] },
  // The recommendation depends on the reserved concurrency.
  throttles: { needs: ["metrics", "settings"] },
  "concurrency-near-limit": { needs: ["metrics", "settings", "account"] },
  "provisioned-idle": { needs: ["metrics", "settings"] },
  "provisioned-spillover": { needs: ["metrics", "settings"] },
  "iterator-age": { needs: ["metrics"] },
  // The trend is the metric's; the mapping only adds its batch size and parallelization factor.
  "stream-falling-behind": { needs: ["metrics"], partly: ["triggers"] },
  // Drops are judged without the config (a warning, as no destination is known); delivery failures need it.
  "async-delivery": { needs: ["metrics"], partly: ["async"] },
  "sqs-visibility-timeout": { needs: ["triggers", "queues"] },
  // Durations are the metrics'; timeouts counted in REPORT lines add to them when the logs were read.
  "sqs-batch-timeout": { needs: ["triggers", "metrics"] },
  "event-source-mapping-state": { needs: ["triggers"] },
  "recursive-invocations-dropped": { needs: ["metrics"] },
  "deprecated-runtime": { needs: [], partly: ["versions"] },
  "code-size": { needs: [] },
  "env-vars-size": { needs: [] },
  "account-code-storage": { needs: ["account"] },
  // About the evidence itself: always judged.
  "data-coverage": { needs: [] },
};

export interface Unjudged {
  region: string;
  /** null for account-wide rules. */
  functionName: string | null;
  ruleId: RuleId;
  source: EvidenceSource;
  reason: string;
  /** Judged on the rest of its evidence (e.g. $LATEST's runtime while some versions are unread). */
  partly: boolean;
}

const firstMissing = (input: AdvisorInput, sources: readonly EvidenceSource[]) =>
  sources.find((s) => input.missing?.[s] !== undefined);

/** Whether every source `ruleId` needs was read for this function. */
export const isJudgeable = (input: AdvisorInput, ruleId: RuleId): boolean =>
  firstMissing(input, RULE_EVIDENCE[ruleId].needs) === undefined;

/** The rules (of `rules`, default all) this function's evidence does not let the advisor judge, or judge whole. */
export function notJudged(input: AdvisorInput, rules: readonly RuleId[]): Unjudged[] {
  const out: Unjudged[] = [];
  for (const ruleId of rules) {
    const { needs, partly = [] } = RULE_EVIDENCE[ruleId];
    const source = firstMissing(input, needs) ?? firstMissing(input, partly);
    if (source === undefined) continue;
    out.push({
      region: input.config.region,
      functionName: input.config.name,
      ruleId,
      source,
      reason: input.missing?.[source] ?? "",
      partly: !needs.includes(source),
    });
  }
  return out;
}

const CONFIDENCE_RANK = { high: 2, medium: 1, low: 0 } as const;

/**
 * A flag is never "high" on incomplete evidence: at most "medium" when its rule was judged with one of its
 * `partly` sources missing (listed as partly judged for this function), or, for telemetry, over a window the
 * evidence covers only in part. The reason is added to the flag's.
 */
export function capConfidence(flag: Flag, input: AdvisorInput): Flag {
  const { needs, partly = [] } = RULE_EVIDENCE[flag.ruleId];
  const telemetry = needs.includes("metrics") || needs.includes("logs");
  const source = firstMissing(input, partly);
  const why = [
    ...(source === undefined
      ? []
      : [`partly judged: ${EVIDENCE_SOURCES[source]} not read (${input.missing?.[source] ?? ""})`]),
    ...(telemetry && input.partial ? [`partial evidence: ${input.partial}`] : []),
  ];
  if (why.length === 0 || CONFIDENCE_RANK[flag.confidence.level] < CONFIDENCE_RANK.high) return flag;
  return { ...flag, confidence: { level: "medium", why: [flag.confidence.why, ...why].join("; ") } };
}

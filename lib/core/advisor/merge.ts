/**
 * One recommendation per function and concern. Rules are independent, so two of them can look at the same
 * setting (throttles and concurrency-near-limit both size reserved concurrency) and name two different values.
 * Such flags are folded into one: the most severe one leads (title, severity, money), the evidence is the union,
 * the other rules are listed in `merged`, and the recommendation is the one with the highest target (the value
 * that satisfies both rules); a concern whose rules advise different settings (JOINED_TEXTS) keeps every rule's
 * text. Among equally severe flags the first one (RULES order) leads.
 */
import type { Flag, Recommendation, RuleId } from "./types";

const CONCERN: Partial<Record<RuleId, string>> = {
  throttles: "concurrency",
  "concurrency-near-limit": "concurrency",
  "memory-near-limit": "memory",
  "memory-over-provisioned": "memory",
  "provisioned-idle": "provisioned",
  "provisioned-spillover": "provisioned",
  // A lag that is high and a lag that is growing: one stream, one recommendation (the trend's).
  "stream-falling-behind": "stream-lag",
  "iterator-age": "stream-lag",
  // A queue that hides a batch too briefly and a batch that outruns the timeout: one SQS consumer's settings.
  "sqs-visibility-timeout": "sqs-batch",
  "sqs-batch-timeout": "sqs-batch",
};

/** Concerns whose rules advise different settings (no one target satisfies both): their texts are all kept. */
const JOINED_TEXTS: ReadonlySet<string> = new Set(["sqs-batch"]);

const SEVERITY_RANK = { critical: 0, warning: 1, info: 2 } as const;

function target(a: Recommendation): number | null {
  switch (a.kind) {
    case "set-memory":
      return a.memory;
    case "set-reserved-concurrency":
    case "set-provisioned-concurrency":
      return a.concurrency;
    case "set-timeout":
      return a.timeout;
    default:
      return null;
  }
}

function fold(group: readonly Flag[], concern: string): Flag {
  const [lead, ...rest] = [...group].sort(
    (a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity],
  ) as [Flag, ...Flag[]];
  if (rest.length === 0) return lead;
  const best = group.reduce(
    (best, f) =>
      (target(f.recommendation.action) ?? -Infinity) > (target(best.action) ?? -Infinity)
        ? f.recommendation
        : best,
    lead.recommendation,
  );
  const texts = [...new Set([lead, ...rest].map((f) => f.recommendation.text))];
  const recommendation = JOINED_TEXTS.has(concern) ? { ...best, text: texts.join(" ") } : best;
  const numbers = { ...lead.evidence.numbers };
  for (const f of rest) for (const [k, n] of Object.entries(f.evidence.numbers)) numbers[k] ??= n;
  return {
    ...lead,
    evidence: { ...lead.evidence, numbers },
    recommendation,
    merged: rest.map((f) => f.ruleId),
  };
}

/** Flags with one concern per function and qualifier folded into one; others kept, order kept. */
export function mergeConcerns(flags: readonly Flag[]): Flag[] {
  const groups = new Map<string, Flag[]>();
  const out: (Flag | string)[] = [];
  for (const f of flags) {
    const concern = CONCERN[f.ruleId];
    if (concern === undefined) {
      out.push(f);
      continue;
    }
    const key = `${f.region}/${f.functionName ?? ""}/${f.qualifier ?? ""}/${concern}`;
    const g = groups.get(key);
    if (g) g.push(f);
    else {
      groups.set(key, [f]);
      out.push(key);
    }
  }
  return out.map((x) =>
    typeof x === "string" ? fold(groups.get(x) ?? [], x.slice(x.lastIndexOf("/") + 1)) : x,
  );
}

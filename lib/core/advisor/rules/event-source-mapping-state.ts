/**
 * Event source mappings that read nothing or cannot process: one flag per function, at its worst mapping.
 *
 * Invariants (https://docs.aws.amazon.com/lambda/latest/api/API_EventSourceMappingConfiguration.html):
 * - Disabled by a user (isUserInitiated: USER_INITIATED on queues, "User action" on streams, or no reason):
 *   someone turned it off → info.
 * - Disabled for any other reason: Lambda did it (the source or the role broke) → warning.
 * - LastProcessingResult "PROBLEM: …" (streams): Lambda cannot read or invoke → warning; critical when the
 *   problem says the function, the source or a permission is missing (nothing is processed until fixed).
 * - AWS's reason strings are untrusted text: control characters removed and length bounded before use.
 */
import { isUserInitiated } from "@/lib/core/triggers/mapping";
import { sourceName } from "@/lib/core/triggers/source";
import type { EventSourceMapping } from "@/lib/core/triggers/types";
import type { Rule } from "../context";
import { flag, noImpact, num } from "../context";
import type { Severity } from "../types";

const MAX_REASON = 160;
const BLOCKING = /permission|denied|not ?authori[sz]ed|not found|does not exist|no longer exists/i;

/** An AWS string fit for a title: no control characters, bounded. */
export const cleanReason = (s: string): string => {
  const flat = s.replace(/[\s\u0000-\u001f\u007f]+/g, " ").trim();
  return flat.length > MAX_REASON ? `${flat.slice(0, MAX_REASON - 1)}…` : flat;
};

interface Finding {
  m: EventSourceMapping;
  severity: Severity;
  what: string;
}

const RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

function finding(m: EventSourceMapping): Finding | null {
  const name = sourceName(m.sourceArn);
  const problem = m.lastProcessingResult?.startsWith("PROBLEM") ? cleanReason(m.lastProcessingResult) : null;
  if (problem !== null)
    return { m, severity: BLOCKING.test(problem) ? "critical" : "warning", what: `${name}: ${problem}` };
  if (m.state !== "Disabled") return null;
  const reason = cleanReason(m.stateReason);
  if (isUserInitiated(reason))
    return { m, severity: "info", what: `the mapping from ${name} is disabled by a user` };
  return { m, severity: "warning", what: `Lambda disabled the mapping from ${name}: ${reason}` };
}

export const eventSourceMappingState: Rule = (input) => {
  const mappings = input.sources?.mappings ?? [];
  const found = mappings.flatMap((m) => finding(m) ?? []).sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  const lead = found[0];
  if (lead === undefined) return [];
  const disabled = mappings.filter((m) => m.state === "Disabled").length;
  const others = found.length > 1 ? ` (and ${found.length - 1} more)` : "";
  const text =
    lead.severity === "info"
      ? "Nothing is read from this source while the mapping is disabled: enable it if the queue or stream still receives work, or delete the mapping."
      : "Fix what the reason names (the source's existence, the execution role's permissions to read it, the function), then enable the mapping: records are not processed meanwhile and streams expire them at their retention.";
  return [
    flag(input, "event-source-mapping-state", {
      severity: lead.severity,
      title: `${lead.what.charAt(0).toUpperCase()}${lead.what.slice(1)}${others}`,
      numbers: {
        mappings: num(mappings.length, "count"),
        disabledMappings: num(disabled, "count"),
        failingMappings: num(found.filter((f) => f.severity !== "info").length, "count"),
      },
      confidence: {
        level: "high",
        why: "the mapping's State, StateTransitionReason and LastProcessingResult",
      },
      recommendation: { text, action: { kind: "investigate" } },
      monthlyImpact: noImpact("a reliability risk: the source's records are not processed"),
    }),
  ];
};

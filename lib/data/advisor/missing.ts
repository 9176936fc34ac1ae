/**
 * Building each function's MissingEvidence from what a collection could not read (shared by the live and store
 * paths): the rules that need a missing source are then listed as not judged, with these reasons.
 */
import type { EvidenceSource, MissingEvidence } from "@/lib/core/advisor";
import type { FunctionConfig } from "@/lib/core/lambda/types";

export class MissingBySource {
  private readonly all: MissingEvidence = {};
  private readonly perFunction = new Map<string, MissingEvidence>();

  /** `source` could not be read for any function. */
  everywhere(source: EvidenceSource, reason: string): void {
    this.all[source] ??= reason;
  }

  /** `source` could not be read for this function. */
  forFunction(name: string, source: EvidenceSource, reason: string): void {
    const m = this.perFunction.get(name) ?? {};
    m[source] ??= reason;
    this.perFunction.set(name, m);
  }

  /** undefined when everything was read (keeps inputs as they were). */
  of(name: string): MissingEvidence | undefined {
    const m = { ...this.perFunction.get(name), ...this.all };
    return Object.keys(m).length > 0 ? m : undefined;
  }
}

/** Log groups used by several functions: their REPORT lines cannot be told apart. */
export function sharedLogGroups(configs: readonly FunctionConfig[]): Map<string, number> {
  const use = new Map<string, number>();
  for (const c of configs) use.set(c.logGroup, (use.get(c.logGroup) ?? 0) + 1);
  return new Map([...use].filter(([, n]) => n > 1));
}

export const sharedGroupReason = (group: string, functions: number) =>
  `log group ${group} is shared by ${functions} functions: its REPORT lines cannot be attributed to one`;

/** Per function, the published versions whose configuration is still unread (from their ARNs). */
export function unreadVersionsReason(config: FunctionConfig, unreadArns: readonly string[]): string | null {
  const prefix = `${config.arn.replace(/:\$LATEST$/, "")}:`;
  const versions = unreadArns.filter((a) => a.startsWith(prefix)).map((a) => a.slice(prefix.length));
  if (versions.length === 0) return null;
  return `configuration of published version${versions.length > 1 ? "s" : ""} ${versions.join(", ")} not read yet (the inventory continues next run)`;
}
